/**
 * One RFC 5424 syslog message carrying an audit message, as IHE ATNA sends it: PRI 85 (facility 10
 * security/authorization, severity 5 notice), VERSION 1, the event's timestamp, HOSTNAME, APP-NAME, PROCID, MSGID
 * `IHE+RFC-3881`, no structured data (`-`), and the XML as MSG with a UTF-8 BOM. Header fields are printable US-ASCII
 * without spaces, truncated to their RFC lengths; an empty one is the NILVALUE `-`.
 * See: RFC 5424 6 (syntax), 6.2 (header lengths), 6.4 (BOM); ITI TF-2 3.20.6.1 (ATNA syslog: MSGID, PRI).
 */
export interface SyslogHeader {
  readonly time: Date;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
}

/** facility 10 (security/authorization) * 8 + severity 5 (notice). See: RFC 5424 6.2.1. */
export const ATNA_PRI = 85;
export const ATNA_MSGID = 'IHE+RFC-3881';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Printable US-ASCII (33-126) only, at most `max` characters; NILVALUE when nothing is left. */
function headerField(value: string, max: number): string {
  const printable = [...value].filter((c) => c.charCodeAt(0) >= 33 && c.charCodeAt(0) <= 126).join('').slice(0, max);
  return printable === '' ? '-' : printable;
}

export function syslogMessage(header: SyslogHeader, xml: string): Buffer {
  const head = [
    `<${ATNA_PRI}>1`,
    header.time.toISOString(),
    headerField(header.hostname, 255),
    headerField(header.appName, 48),
    headerField(header.procId, 128),
    ATNA_MSGID,
    '-',
  ].join(' ');
  return Buffer.concat([Buffer.from(`${head} `, 'ascii'), BOM, Buffer.from(xml, 'utf8')]);
}

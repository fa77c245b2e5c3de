/**
 * XDS DTM values: UTC, `yyyyMMddHHmmss`, no zone suffix, no fraction. See: xds-ini digest, 3.7 and 10 item 5.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Formats an instant as a UTC DTM `yyyyMMddHHmmss`. */
export function formatDtm(instant: Date): string {
  return `${pad(instant.getUTCFullYear(), 4)}${pad(instant.getUTCMonth() + 1)}${pad(instant.getUTCDate())}`
    + `${pad(instant.getUTCHours())}${pad(instant.getUTCMinutes())}${pad(instant.getUTCSeconds())}`;
}

/** HL7 TS: `YYYY[MM[DD[HH[MM[SS[.S…]]]]]][±ZZZZ]`. */
const HL7_TS = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?(?:([+-])(\d{2})(\d{2}))?$/;
/** ISO 8601 forms: `YYYY-MM-DD[THH:MM[:SS[.S…]]][Z|±HH[:]MM]`. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/;

/** The zone a TS without offset is read in: Italian producers write local time. */
const LOCAL_ZONE = 'Europe/Rome';

/** Offset (ms) of `zone` from UTC at `instant`. */
function zoneOffset(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant;
}

/** The UTC instant of a wall-clock time in {@link LOCAL_ZONE}. */
function fromLocal(wall: number): number {
  const first = wall - zoneOffset(wall, LOCAL_ZONE);
  return wall - zoneOffset(first, LOCAL_ZONE);
}

interface Fields { y: number; mo: number; d: number; h: number; mi: number; s: number; offsetMs?: number }

function toFields(value: string): Fields | undefined {
  const num = (v: string | undefined, dflt: number) => (v === undefined ? dflt : Number(v));
  const ts = HL7_TS.exec(value);
  if (ts) {
    const [, y, mo, d, h, mi, s, sign, oh, om] = ts;
    const offsetMs = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000 : undefined;
    return { y: Number(y), mo: num(mo, 1), d: num(d, 1), h: num(h, 0), mi: num(mi, 0), s: num(s, 0), offsetMs };
  }
  const iso = ISO.exec(value);
  if (iso) {
    const [, y, mo, d, h, mi, s, z, sign, oh, om] = iso;
    const offsetMs = z ? 0 : sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000 : undefined;
    return { y: Number(y), mo: Number(mo), d: Number(d), h: num(h, 0), mi: num(mi, 0), s: num(s, 0), offsetMs };
  }
  return undefined;
}

/**
 * Converts a CDA `effectiveTime/@value` (`yyyyMMddHHmmss[±zzzz]`, shorter precisions, ISO forms) to a UTC DTM;
 * a value without offset is read as Italian local time. `undefined` when the value is not a valid time.
 * See: xds-ini digest, 8.1 (creationTime).
 */
export function toUtcDtm(value: string): string | undefined {
  const f = toFields(value.trim());
  if (!f) return undefined;
  const wall = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== f.mo - 1 || check.getUTCDate() !== f.d || f.h > 23 || f.mi > 59 || f.s > 59) return undefined;
  return formatDtm(new Date(f.offsetMs === undefined ? fromLocal(wall) : wall - f.offsetMs));
}

/** True for a 14-digit DTM that names a real time (the strict form XDS needs). */
export function isDtm14(value: string): boolean {
  return /^\d{14}$/.test(value) && toUtcDtm(`${value}+0000`) === value;
}

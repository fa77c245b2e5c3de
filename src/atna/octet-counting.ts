/**
 * RFC 5425 framing of syslog over TLS: octet counting, `MSG-LEN SP SYSLOG-MSG`, where MSG-LEN is the byte length of
 * the message in decimal with no leading zero. The decoder is what a receiver runs: it takes TCP chunks as they
 * come (a frame split across reads, several frames in one read) and answers whole messages.
 * See: RFC 5425 4.3 (transport), 4.3.1 (message length).
 */
export function octetFrame(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}

export class OctetFramingError extends Error {
  override readonly name = 'OctetFramingError';
}

/** RFC 5425 4.3.1: a receiver must accept 2048 octets and should accept 8192; ATNA messages with a query need more. */
const MAX_LENGTH_DIGITS = 9;

/** Stateful decoder of one TLS stream. */
export class OctetCountingDecoder {
  #buffer: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns the messages it completes, in order. Throws {@link OctetFramingError} on a bad length. */
  push(chunk: Buffer): Buffer[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const messages: Buffer[] = [];
    for (;;) {
      const space = this.#buffer.indexOf(0x20);
      if (space < 0) {
        if (this.#buffer.length > MAX_LENGTH_DIGITS) throw new OctetFramingError('no MSG-LEN SP within 9 octets');
        break;
      }
      const digits = this.#buffer.subarray(0, space).toString('ascii');
      if (!/^[1-9]\d{0,8}$/.test(digits)) throw new OctetFramingError(`bad MSG-LEN ${JSON.stringify(digits)}`);
      const length = Number(digits);
      if (this.#buffer.length < space + 1 + length) break;
      messages.push(this.#buffer.subarray(space + 1, space + 1 + length));
      this.#buffer = this.#buffer.subarray(space + 1 + length);
    }
    return messages;
  }

  /** Octets received that do not yet make a whole frame. */
  get pending(): number {
    return this.#buffer.length;
  }
}

/** Protobuf wire-format pieces for code that writes or edits encoded messages directly. */

/** Wire type of length-delimited fields (bytes, strings, sub-messages). */
export const LENGTH_DELIMITED = 2;

/** The base-128 varint encoding of a non-negative integer (up to 2^53). */
export function varint(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
}

/** The varint at `pos`, and the position after it. */
export function readVarint(buf: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let mul = 1;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    value += (b & 0x7f) * mul;
    if (b < 0x80) return [value, pos];
    mul *= 128;
  }
}

/** Tag and length that go before a length-delimited field's `length` bytes. */
export function lengthDelimitedHead(field: number, length: number): number[] {
  return [...varint(field * 8 + LENGTH_DELIMITED), ...varint(length)];
}

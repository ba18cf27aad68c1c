/**
 * Encode / decode protobuf messages as plain objects, with google.protobuf.Timestamp and
 * Duration fields exchanged as bigint nanoseconds (grokdrive's TimeNs) instead of
 * { seconds, nanos } pairs. Field names are the schema's own (snake_case: frame_id).
 */
import protobuf from 'protobufjs';
import { lengthDelimitedHead } from './protobuf-wire.js';

const TIMESTAMP = '.google.protobuf.Timestamp';
const DURATION = '.google.protobuf.Duration';
const NS = 1_000_000_000n;

function nsToWire(value: unknown, where: string): { seconds: number; nanos: number } {
  if (typeof value === 'bigint') {
    let seconds = value / NS;
    let nanos = value % NS;
    if (nanos < 0n) {
      nanos += NS;
      seconds -= 1n;
    }
    return { seconds: Number(seconds), nanos: Number(nanos) };
  }
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.sec === 'number' && typeof v.nsec === 'number') return { seconds: v.sec, nanos: v.nsec };
    if (typeof v.seconds === 'number' && typeof v.nanos === 'number') return { seconds: v.seconds, nanos: v.nanos };
  }
  throw new TypeError(`${where}: expected a bigint of nanoseconds or {sec, nsec}, got ${String(value)}`);
}

function wireToNs(value: unknown): bigint {
  const v = (value ?? {}) as { seconds?: number | string; nanos?: number };
  return BigInt(v.seconds ?? 0) * NS + BigInt(v.nanos ?? 0);
}

function isTimeType(t: protobuf.Type | protobuf.Enum | null): boolean {
  return t instanceof protobuf.Type && (t.fullName === TIMESTAMP || t.fullName === DURATION);
}

/** Plain object (bigint times) -> object protobufjs' fromObject accepts. */
function toWire(type: protobuf.Type, obj: Record<string, unknown>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    const field = type.fields[key];
    if (!field) throw new TypeError(`${path}: ${type.fullName.slice(1)} has no field '${key}'`);
    if (value === undefined || value === null) continue;
    const rt = field.resolve().resolvedType;
    const convert = (v: unknown, p: string): unknown => {
      if (isTimeType(rt)) return nsToWire(v, p);
      if (rt instanceof protobuf.Type) return toWire(rt, v as Record<string, unknown>, p);
      return v;
    };
    if (field.repeated) {
      if (!Array.isArray(value) && !ArrayBuffer.isView(value)) throw new TypeError(`${path}.${key}: expected an array`);
      const items = ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : (value as unknown[]);
      out[key] = rt instanceof protobuf.Type ? items.map((v, i) => convert(v, `${path}.${key}[${i}]`)) : items;
    } else {
      out[key] = convert(value, `${path}.${key}`);
    }
  }
  return out;
}

/** Decoded protobufjs message -> plain object with bigint times. */
function fromWire(type: protobuf.Type, obj: Record<string, unknown>): Record<string, unknown> {
  for (const field of type.fieldsArray) {
    const rt = field.resolvedType;
    if (!(rt instanceof protobuf.Type)) continue;
    const value = obj[field.name];
    if (value === undefined || value === null) continue;
    if (isTimeType(rt)) {
      obj[field.name] = field.repeated ? (value as unknown[]).map(wireToNs) : wireToNs(value);
    } else if (field.repeated) {
      obj[field.name] = (value as Record<string, unknown>[]).map((v) => fromWire(rt, v));
    } else {
      obj[field.name] = fromWire(rt, value as Record<string, unknown>);
    }
  }
  return obj;
}

/** Top-level bytes fields at least this long are appended raw (see encodeProtobuf). */
const APPEND_BYTES_FROM = 4096;

/**
 * Large top-level bytes fields (images, grids, point clouds) are left out of protobufjs and
 * appended after the rest of the message, each copied once into the result: protobufjs would
 * copy them twice and allocate for both. Protobuf readers accept fields in any order.
 */
export function encodeProtobuf(type: protobuf.Type, message: Record<string, unknown>): Uint8Array {
  let rest = message;
  const appended: { id: number; bytes: Uint8Array }[] = [];
  for (const field of type.fieldsArray) {
    const v = message[field.name];
    if (field.type !== 'bytes' || field.repeated || !(v instanceof Uint8Array) || v.byteLength < APPEND_BYTES_FROM) continue;
    if (rest === message) rest = { ...message };
    delete rest[field.name];
    appended.push({ id: field.id, bytes: v });
  }
  const wire = toWire(type, rest, type.fullName.slice(1));
  const err = type.verify(wire);
  if (err) throw new TypeError(`${type.fullName.slice(1)}: ${err}`);
  const head = type.encode(type.fromObject(wire)).finish();
  if (appended.length === 0) return head;
  const heads = appended.map(({ id, bytes }) => lengthDelimitedHead(id, bytes.byteLength));
  const out = new Uint8Array(appended.reduce((n, a, i) => n + heads[i].length + a.bytes.byteLength, head.byteLength));
  out.set(head);
  let at = head.byteLength;
  appended.forEach(({ bytes }, i) => {
    out.set(heads[i], at);
    out.set(bytes, at + heads[i].length);
    at += heads[i].length + bytes.byteLength;
  });
  return out;
}

const toObjectOptions: protobuf.IConversionOptions = { longs: Number, enums: Number, defaults: true, arrays: true };

export function decodeProtobuf(type: protobuf.Type, data: Uint8Array): Record<string, unknown> {
  const msg = type.decode(data);
  return fromWire(type, type.toObject(msg, toObjectOptions));
}

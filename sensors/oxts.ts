/**
 * KITTI OXTS RT3003 GPS/INS records and their conversion to metric poses with the KITTI
 * devkit's convention: a Mercator projection scaled by cos(latitude of the first record), and
 * orientation R = Rz(yaw) * Ry(pitch) * Rx(roll) of the IMU frame (x forward, y left, z up).
 */
import { readFileSync } from 'node:fs';
import type { Pose3 } from '../types/geometry.js';
import type { TimeNs } from '../types/time.js';
import { conjugateQuat, multiplyQuat, normalizeQuat, quatFromEuler, rotateVec3 } from './pose.js';

/** The 30 fields of a KITTI OXTS line, in file order (see the devkit's dataformat.txt). */
export const OXTS_FIELDS = [
  'lat', 'lon', 'alt', 'roll', 'pitch', 'yaw',
  'vn', 've', 'vf', 'vl', 'vu',
  'ax', 'ay', 'az', 'af', 'al', 'au',
  'wx', 'wy', 'wz', 'wf', 'wl', 'wu',
  'posAccuracy', 'velAccuracy', 'navstat', 'numsats', 'posmode', 'velmode', 'orimode',
] as const;

export type OxtsField = (typeof OXTS_FIELDS)[number];

/**
 * One OXTS record. Degrees for lat/lon, metres for alt, radians for angles, m/s, m/s², rad/s.
 * yaw is the heading: 0 = east, counter-clockwise positive.
 */
export type OxtsRecord = Record<OxtsField, number>;

/** Earth radius used by the KITTI devkit's Mercator conversion (WGS84 equatorial), metres. */
export const KITTI_EARTH_RADIUS = 6378137;

/** Parse one OXTS text (a single line of 30 numbers); `file` names it in errors. */
export function parseOxts(text: string, file: string): OxtsRecord {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error(`${file}: empty OXTS file (expected one line of ${OXTS_FIELDS.length} numbers)`);
  if (lines.length > 1) throw new Error(`${file}: expected one line of OXTS data, found ${lines.length} lines`);
  const tokens = lines[0].trim().split(/\s+/);
  if (tokens.length !== OXTS_FIELDS.length) {
    throw new Error(`${file}: expected ${OXTS_FIELDS.length} OXTS values, found ${tokens.length}`);
  }
  const record = {} as OxtsRecord;
  tokens.forEach((token, i) => {
    const value = Number(token);
    if (!Number.isFinite(value)) {
      throw new Error(`${file}: OXTS field ${i + 1} (${OXTS_FIELDS[i]}) is not a finite number: "${token}"`);
    }
    record[OXTS_FIELDS[i]] = value;
  });
  if (Math.abs(record.lat) > 90) throw new Error(`${file}: latitude ${record.lat} is outside [-90, 90] degrees`);
  if (Math.abs(record.lon) > 180) throw new Error(`${file}: longitude ${record.lon} is outside [-180, 180] degrees`);
  return record;
}

/** Read and parse one OXTS file. */
export function readOxtsFile(path: string): OxtsRecord {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read OXTS file: ${(err as Error).message}`);
  }
  return parseOxts(text, path);
}

/** Mercator easting/northing (metres) of lat/lon (degrees) with the devkit's `scale`. */
export function latLonToMercator(lat: number, lon: number, scale: number): { x: number; y: number } {
  return {
    x: (scale * lon * Math.PI * KITTI_EARTH_RADIUS) / 180,
    y: scale * KITTI_EARTH_RADIUS * Math.log(Math.tan(((90 + lat) * Math.PI) / 360)),
  };
}

/**
 * Poses of the IMU (vehicle) frame in a local world frame: origin at the first record's
 * position, x along the first record's heading, z up (gravity-aligned, so the first pose keeps
 * its roll and pitch). All records share the Mercator scale of the first latitude, so
 * distances are metric near the drive (the devkit's convention).
 */
export function oxtsToPoses(records: readonly OxtsRecord[]): Pose3[] {
  if (records.length === 0) return [];
  const first = records[0];
  const scale = Math.cos((first.lat * Math.PI) / 180);
  const origin = latLonToMercator(first.lat, first.lon, scale);
  // World <- Mercator: remove the first heading about z.
  const unyaw = conjugateQuat(quatFromEuler(0, 0, first.yaw));
  return records.map((r) => {
    const m = latLonToMercator(r.lat, r.lon, scale);
    const position = rotateVec3(unyaw, { x: m.x - origin.x, y: m.y - origin.y, z: r.alt - first.alt });
    const orientation = normalizeQuat(multiplyQuat(unyaw, quatFromEuler(r.roll, r.pitch, r.yaw)));
    return { position, orientation };
  });
}

/**
 * Parse a KITTI timestamps.txt ("YYYY-MM-DD HH:MM:SS.fffffffff" per line) to nanoseconds.
 * KITTI writes local time without a zone; it is read as UTC so the instants are reproducible.
 */
export function parseKittiTimestamps(text: string, file: string): TimeNs[] {
  const out: TimeNs[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(line);
    if (!m) throw new Error(`${file}:${i + 1}: malformed timestamp "${line}" (expected YYYY-MM-DD HH:MM:SS.fffffffff)`);
    const [, y, mo, d, h, mi, s, frac = ''] = m;
    const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
    // Date.UTC rolls over out-of-range fields (Feb 30 -> Mar 2); a round trip catches that.
    const back = new Date(ms);
    if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || back.getUTCHours() !== +h || back.getUTCMinutes() !== +mi || back.getUTCSeconds() !== +s) {
      throw new Error(`${file}:${i + 1}: invalid date/time "${line}"`);
    }
    out.push(BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0')));
  });
  return out;
}

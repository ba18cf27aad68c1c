/** Parses `--role Name=role` command-line values into occupancy role overrides. */
import type { ClassInfo } from '../../types/index.js';

const ROLES = ['drivable', 'obstacle', 'ground', 'ignore'] as const;

export function parseRoleOverrides(values: readonly string[] = []): Record<string, ClassInfo['role']> {
  const out: Record<string, ClassInfo['role']> = {};
  for (const v of values) {
    const m = /^([^=]+)=(\w+)$/.exec(v);
    if (!m || !(ROLES as readonly string[]).includes(m[2])) {
      throw new Error(`--role expects ClassName=${ROLES.join('|')}, got '${v}'`);
    }
    out[m[1]] = m[2] as ClassInfo['role'];
  }
  return out;
}

/** Command-line occupancy options: `--role Name=role` overrides and `--obstacle-depth M`. */
import type { ClassInfo } from '../../types/index.js';
import type { OccupancyOptions } from './occupancy-mapper.js';

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

/** The occupancy options that --role and --obstacle-depth set. */
export function occupancyOptionsFromArgs(roles: readonly string[] | undefined, obstacleDepth: string | undefined): Partial<OccupancyOptions> {
  const options: Partial<OccupancyOptions> = { classRoles: parseRoleOverrides(roles) };
  if (obstacleDepth !== undefined) {
    const depth = Number(obstacleDepth);
    if (!(depth >= 0 && depth < Infinity)) throw new Error(`--obstacle-depth expects metres >= 0, got '${obstacleDepth}'`);
    options.obstacleDepth = depth;
  }
  return options;
}

/**
 * Camera-only occupancy mapping: segmentation + calibration + ego pose in, log-odds grid out.
 * Keeps the ground tables cached per (calibration, segmentation size) so the per-frame work
 * is the column walk and one pass over the grid.
 */
import type { CameraCalibration, ClassInfo, OccupancyGrid, Pose2, Segmentation, TimeNs } from '../../types/index.js';
import { buildGroundLut, type GroundLut, type GroundLutOptions } from './ground-lut.js';
import { LogOddsGrid, defaultLogOddsGridOptions, type LogOddsGridOptions } from './log-odds-grid.js';
import { markFreeSpace, roleTable, type FreeSpaceCounts } from './free-space.js';

export interface OccupancyOptions extends LogOddsGridOptions {
  /** Ground evidence nearer than this is not written (metres from the camera). */
  minRange: number;
  /** Rays are followed no further than this (metres from the camera). */
  maxRange: number;
  /** Height of the road plane in the vehicle frame (metres). */
  groundZ: number;
}

export const defaultOccupancyOptions: OccupancyOptions = {
  ...defaultLogOddsGridOptions,
  minRange: 3,
  maxRange: 40,
  groundZ: 0,
};

export interface OccupancyUpdate extends FreeSpaceCounts {
  /** Milliseconds spent on the column walk and on the grid pass (excluding the snapshot). */
  markMs: number;
  integrateMs: number;
}

function calibrationKey(c: CameraCalibration, width: number, height: number): string {
  const p = c.cameraToVehicle.position;
  const q = c.cameraToVehicle.orientation;
  return [c.cameraId, c.width, c.height, c.fx, c.fy, c.cx, c.cy, ...c.distortion, p.x, p.y, p.z, q.x, q.y, q.z, q.w, width, height].join(',');
}

export class OccupancyMapper {
  readonly options: OccupancyOptions;
  readonly grid: LogOddsGrid;
  private luts = new Map<string, GroundLut>();
  private rolesFor = new WeakMap<ClassInfo[], Uint8Array>();

  constructor(options: Partial<OccupancyOptions> = {}) {
    this.options = { ...defaultOccupancyOptions, ...options };
    this.grid = new LogOddsGrid(this.options);
  }

  /** The ground tables for this calibration and segmentation size (built once, then cached). */
  lutFor(calibration: CameraCalibration, width: number, height: number): GroundLut {
    const key = calibrationKey(calibration, width, height);
    let lut = this.luts.get(key);
    if (!lut) {
      const o = this.options;
      const lutOptions: GroundLutOptions = { resolution: o.resolution, minRange: o.minRange, maxRange: o.maxRange, groundZ: o.groundZ };
      lut = buildGroundLut(calibration, width, height, lutOptions);
      // A handful of cameras at most; a calibration that changes every frame should not leak.
      if (this.luts.size >= 8) this.luts.delete(this.luts.keys().next().value as string);
      this.luts.set(key, lut);
    }
    return lut;
  }

  private roles(classTable: ClassInfo[]): Uint8Array {
    let r = this.rolesFor.get(classTable);
    if (!r) {
      r = roleTable(classTable);
      this.rolesFor.set(classTable, r);
    }
    return r;
  }

  /**
   * Fuses one frame. Frames must come in time order (the filter is sequential).
   * `ego` is the vehicle's planar pose in the world frame at the segmentation's time.
   */
  update(seg: Segmentation, calibration: CameraCalibration, ego: Pose2): OccupancyUpdate {
    const lut = this.lutFor(calibration, seg.width, seg.height);
    const t0 = performance.now();
    this.grid.follow(ego);
    const counts = markFreeSpace(lut, seg.classes, this.roles(seg.classTable), ego, this.grid);
    const t1 = performance.now();
    this.grid.integrate(seg.timeNs);
    const t2 = performance.now();
    return { ...counts, markMs: t1 - t0, integrateMs: t2 - t1 };
  }

  snapshot(timeNs: TimeNs): OccupancyGrid {
    return this.grid.snapshot(timeNs);
  }

  reset(): void {
    this.grid.clear();
  }
}

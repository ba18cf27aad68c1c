/**
 * Camera-only occupancy mapping: segmentation + calibration + ego pose in, log-odds grid out.
 * Keeps the ground tables cached per (calibration, segmentation size) so the per-frame work
 * is the column walk and one pass over the grid.
 */
import type { CameraCalibration, ClassInfo, OccupancyGrid, Pose2, Segmentation, TimeNs } from '../../types/index.js';
import { buildGroundLut, type GroundLut, type GroundLutOptions } from './ground-lut.js';
import { LogOddsGrid, defaultLogOddsGridOptions, type LogOddsGridOptions } from './log-odds-grid.js';
import { flatNearRoad, stereoRoad as fitStereoRoad, type StereoRoad } from './stereo-road.js';
import type { StereoCheck } from './stereo-ground.js';
import { rescaleCalibration } from '../../sensors/camera.js';
import { DEFAULT_CONTACT_SPREAD, ROLE_DRIVABLE, EvidenceScratch, footprintSamples, placeEvidence, placeFootprint, roleTable, rowScales, walkColumns, type FreeSpaceCounts, type FreeSpaceEvidence } from './free-space.js';

export interface OccupancyOptions extends LogOddsGridOptions {
  /** Ground evidence nearer than this is not written (metres from the camera). */
  minRange: number;
  /**
   * Rays are followed no further than this (metres from the camera). 50 m (default): as far
   * as the default grid reaches ahead (80 m, centred 10 m ahead of the car). What is seen out
   * there is placed coarsely (a pixel row spans metres of road), but it is remembered while
   * the car comes nearer and sees it again.
   */
  maxRange: number;
  /** Height of the road plane in the vehicle frame (metres), for frames that do not carry one. */
  groundZ: number;
  /**
   * The ego vehicle's outline around the vehicle frame's origin (metres behind, ahead, to each
   * side); its cells are marked free every frame. null: no clearing.
   */
  egoFootprint: { rear: number; front: number; halfWidth: number } | null;
  /**
   * Obstacle pixels needed in a row up a column before the walk believes an obstacle (shorter
   * runs are segmentation noise and are walked over). 1 believes every pixel.
   */
  minObstacleRun: number;
  /**
   * Metres an obstacle must stand up from its contact: its pixel run up the column must span
   * at least this much at the contact's range (rails, kerbs and segmentation noise do not).
   * With stereo, a flat surface raised more than this above the fitted road is not walked over
   * either (walkableMask). Default 0.3 m: where the lidar ground truth starts counting obstacles.
   */
  minObstacleHeight: number;
  /**
   * Metres around an obstacle's estimated ground contact, along the ray, that get half a hit:
   * the contact is only known to lie between two pixel centres (see placeEvidence). 0: the
   * estimate's cell alone.
   */
  contactSpread: number;
  /**
   * For frames whose walk had a stereo check: metres of a contact's pixel interval, on both
   * sides of the estimate, that get half a hit. The contact lies anywhere in it, and far out
   * it is metres deep; it is false contacts that make marking it whole costly (spread in the
   * lane, they block plans), and stereo walks over most of them: the flat pixels the model
   * calls obstacles. 1.5 m (default) covers the whole interval out to about 35 m
   * (docs/engine.md).
   */
  stereoContactSpread: number;
  /**
   * Metres of ground behind an obstacle's estimated contact, along the ray, that get half a
   * hit: the obstacle's body, which the camera sees as pixels standing up, not as ground.
   * 0 (default): only the contact's own pixel interval (contactSpread). More finds more of
   * what a lidar sees as occupied and blocks more plans (docs/engine.md).
   */
  obstacleDepth: number;
  /**
   * Take the road as level in the world: the vehicle's roll and pitch (from its pose) tilt the
   * road plane seen from the vehicle. false: the road is the plane z = groundZ of the vehicle
   * frame whatever the attitude (for poses whose attitude follows the road's slope).
   */
  levelGround: boolean;
  /** Roles by class name that replace the model's own (e.g. { Pavement: 'ground' }). */
  classRoles: Readonly<Record<string, ClassInfo['role']>>;
}

export const defaultOccupancyOptions: OccupancyOptions = {
  ...defaultLogOddsGridOptions,
  minRange: 3,
  maxRange: 50,
  groundZ: 0,
  egoFootprint: { rear: 1.0, front: 3.5, halfWidth: 0.95 },
  minObstacleRun: 3,
  minObstacleHeight: 0.3,
  contactSpread: DEFAULT_CONTACT_SPREAD,
  stereoContactSpread: 1.5,
  obstacleDepth: 0,
  levelGround: true,
  classRoles: {},
};

export interface OccupancyUpdate extends FreeSpaceCounts {
  /** Milliseconds: column walk, placing the evidence in the grid, the grid pass. */
  walkMs: number;
  placeMs: number;
  integrateMs: number;
}

function calibrationKey(c: CameraCalibration, width: number, height: number, groundZ: number): string {
  const p = c.cameraToVehicle.position;
  const q = c.cameraToVehicle.orientation;
  return [c.cameraId, c.width, c.height, c.fx, c.fy, c.cx, c.cy, ...c.distortion, p.x, p.y, p.z, q.x, q.y, q.z, q.w, width, height, groundZ].join(',');
}

export class OccupancyMapper {
  readonly options: OccupancyOptions;
  readonly grid: LogOddsGrid;
  private rolesFor = new WeakMap<ClassInfo[], Uint8Array>();
  private scratch = new EvidenceScratch();
  private footprint: { x: Float32Array; y: Float32Array } | undefined;

  /** `luts`: a ground table cache to share with other mappers (the engine's runs share one). */
  constructor(options: Partial<OccupancyOptions> = {}, private readonly luts = new Map<string, GroundLut>()) {
    this.options = { ...defaultOccupancyOptions, ...options };
    this.grid = new LogOddsGrid(this.options);
    for (const k of ['contactSpread', 'stereoContactSpread'] as const) {
      const spread = this.options[k];
      if (!(spread >= 0 && spread < Infinity)) throw new RangeError(`occupancy: ${k} must be a finite number of metres >= 0, got ${spread}`);
    }
    const depth = this.options.obstacleDepth;
    if (!(depth >= 0 && depth < Infinity)) throw new RangeError(`occupancy: obstacleDepth must be a finite number of metres >= 0, got ${depth}`);
    const f = this.options.egoFootprint;
    if (f) {
      if (!(f.rear >= 0 && f.front >= 0 && f.halfWidth > 0)) throw new RangeError(`occupancy: ego footprint needs rear, front >= 0 and halfWidth > 0, got ${JSON.stringify(f)}`);
      this.footprint = footprintSamples(f.rear, f.front, f.halfWidth, this.options.resolution);
    }
  }

  /** The ground tables for this calibration, segmentation size and road height (built once, then cached). */
  lutFor(calibration: CameraCalibration, width: number, height: number, groundZ = this.options.groundZ): GroundLut {
    const key = calibrationKey(calibration, width, height, groundZ);
    let lut = this.luts.get(key);
    if (!lut) {
      const o = this.options;
      const lutOptions: GroundLutOptions = { resolution: o.resolution, minRange: o.minRange, maxRange: o.maxRange, groundZ };
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
      r = roleTable(classTable, this.options.classRoles);
      this.rolesFor.set(classTable, r);
    }
    return r;
  }

  /**
   * The column walk of one frame (vehicle frame, independent of the grid and of frame order).
   * `groundLike` (at the class map's size): pixels stereo found flat like the road, which the
   * walk crosses even where the segmentation sees an obstacle.
   */
  walk(
    seg: Segmentation,
    calibration: CameraCalibration,
    groundZ = this.options.groundZ,
    attitude?: { roll: number; pitch: number },
    groundLike?: Uint8Array,
  ): FreeSpaceEvidence {
    const lut = this.lutFor(calibration, seg.width, seg.height, groundZ);
    const evidence = walkColumns(lut, seg.classes, this.roles(seg.classTable), this.scratch, this.options.minObstacleRun, groundLike, this.options.minObstacleHeight);
    if (groundLike) evidence.stereo = true;
    if (this.options.levelGround && attitude && (attitude.roll !== 0 || attitude.pitch !== 0)) {
      evidence.rowScale = rowScales(lut, attitude.roll, attitude.pitch);
    }
    return evidence;
  }

  /**
   * The road a stereo check saw (the vehicle's roll and pitch against it, its plane), fitted
   * to the pixels that are ground-like and drivable in `seg` (all ground-like ones when the
   * class map is at another size or too few are drivable); undefined when no plane fits.
   */
  stereoRoad(check: StereoCheck, seg: Segmentation, calibration: CameraCalibration): StereoRoad | undefined {
    let drivable: Uint8Array | undefined;
    if (seg.width === check.width && seg.height === check.height) {
      const roles = this.roles(seg.classTable);
      drivable = new Uint8Array(seg.classes.length);
      for (let i = 0; i < drivable.length; i++) drivable[i] = roles[seg.classes[i]] === ROLE_DRIVABLE ? 1 : 0;
    }
    const calib = calibration.width === check.width && calibration.height === check.height ? calibration : rescaleCalibration(calibration, check.width, check.height);
    return fitStereoRoad(check, calib, drivable);
  }

  /**
   * The pixels of a stereo check the walk may cross although the model sees an obstacle
   * there: flat, and no higher above the road stereo fitted than an obstacle must stand
   * (minObstacleHeight). Without a fitted road, every ground-like pixel.
   */
  walkableMask(check: StereoCheck, road: StereoRoad | undefined): Uint8Array {
    return road ? flatNearRoad(check, road, this.options.minObstacleHeight) : check.mask;
  }

  /**
   * Fuses one frame's evidence. Frames must come in time order (the filter is sequential).
   * `ego` is the vehicle's planar pose in the world frame at time `timeNs`. With
   * `snapshot`, the grid after this frame is returned as well (copied in the same pass).
   */
  fuse(
    evidence: FreeSpaceEvidence,
    ego: Pose2,
    timeNs: TimeNs,
    opts: { snapshot?: boolean } = {},
  ): FreeSpaceCounts & { placeMs: number; integrateMs: number; grid?: OccupancyGrid } {
    const t0 = performance.now();
    this.grid.follow(ego);
    const o = this.options;
    const spread = evidence.stereo
      ? { beyond: o.stereoContactSpread, toward: o.stereoContactSpread, depth: o.obstacleDepth }
      : { beyond: o.contactSpread, depth: o.obstacleDepth };
    const counts = placeEvidence(evidence, ego, this.grid, spread);
    if (this.footprint) placeFootprint(this.footprint, ego, this.grid);
    const t1 = performance.now();
    const copy = opts.snapshot ? new Float32Array(this.grid.logOdds.length) : undefined;
    this.grid.integrate(timeNs, copy);
    const t2 = performance.now();
    const grid = copy ? this.grid.snapshot(timeNs, copy) : undefined;
    return { ...counts, placeMs: t1 - t0, integrateMs: t2 - t1, grid };
  }

  /** walk + fuse for one segmentation. */
  update(
    seg: Segmentation,
    calibration: CameraCalibration,
    ego: Pose2,
    groundZ = this.options.groundZ,
    attitude?: { roll: number; pitch: number },
  ): OccupancyUpdate {
    const t0 = performance.now();
    const evidence = this.walk(seg, calibration, groundZ, attitude);
    const walkMs = performance.now() - t0;
    return { ...this.fuse(evidence, ego, seg.timeNs), walkMs };
  }

  snapshot(timeNs: TimeNs): OccupancyGrid {
    return this.grid.snapshot(timeNs);
  }

  reset(): void {
    this.grid.clear();
  }
}

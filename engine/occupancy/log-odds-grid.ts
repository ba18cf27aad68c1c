/**
 * A log-odds occupancy grid in the world frame that scrolls with the ego vehicle
 * (binary Bayes filter with clamping, as in probabilistic occupancy grid maps).
 *
 * The grid is axis-aligned with the world frame and its origin sits on whole multiples of the
 * cell size, so a world point always falls in the same cell while it is on the grid. When the
 * ego vehicle strays from the centre the contents are shifted by whole cells and the newly
 * exposed cells start unknown (log-odds 0).
 *
 * Evidence for one frame is first collected in a mark layer (free / occupied, occupied wins),
 * then `integrate` applies it in one pass: marked cells get the hit or miss log-odds once per
 * frame however many rays touched them, unmarked cells decay toward 0 (unknown).
 */
import type { OccupancyGrid, Pose2, TimeNs } from '../../types/index.js';

export interface LogOddsGridOptions {
  /** Cell size in metres. */
  resolution: number;
  /** Cells along world x and world y. */
  width: number;
  height: number;
  /** Log-odds added to a cell observed occupied in a frame (> 0). */
  hit: number;
  /** Log-odds added to a cell observed free in a frame (< 0). */
  miss: number;
  /** Clamping bounds, so the map stays able to change its mind. */
  min: number;
  max: number;
  /** Unobserved cells lose half their log-odds in this many seconds (Infinity: no decay). */
  decayHalfLifeS: number;
  /** Re-centre when the grid's wanted centre is further than this from its centre (metres). */
  recenterDistance: number;
  /**
   * The grid's centre sits this far ahead of the ego vehicle along its heading (metres): a
   * forward camera sees ahead, and plans go ahead; behind the car the grid only remembers.
   */
  lookAhead: number;
}

export const defaultLogOddsGridOptions: LogOddsGridOptions = {
  resolution: 0.2,
  width: 400,
  height: 400,
  hit: 0.85, // p = 0.7
  miss: -0.4, // p = 0.4
  min: -2.0, // p = 0.12
  max: 3.5, // p = 0.97
  decayHalfLifeS: 4,
  recenterDistance: 2,
  lookAhead: 10,
};

/** Log-odds this close to 0 (p within 0.00025 of 0.5) are set to exactly 0, unknown... */
const FORGET = 1e-3;
/** ...every this many seconds of drive. */
const FORGET_EVERY_S = 10;

export const MARK_FREE = 1;
export const MARK_OCCUPIED = 2;
/** Under the ego vehicle: certainly free (set to the lower clamp, not just one miss). */
export const MARK_EGO = 3;
/** Possibly occupied (somewhere in an interval of cells): half a hit. */
export const MARK_MAYBE_OCCUPIED = 4;

export class LogOddsGrid {
  readonly options: LogOddsGridOptions;
  readonly resolution: number;
  readonly width: number;
  readonly height: number;
  /** Log-odds per cell, row-major, row 0 at the origin (same layout as OccupancyGrid). */
  logOdds: Float32Array;
  /** Per-frame evidence: 0 none, MARK_FREE, MARK_OCCUPIED, MARK_EGO, MARK_MAYBE_OCCUPIED. */
  readonly marks: Uint8Array;
  /** The marks four at a time (same memory), so unmarked stretches are passed over quickly. */
  private readonly markWords: Uint32Array;
  /** World-frame cell index of the grid's cell (0, 0). */
  originCellX = 0;
  originCellY = 0;
  private spare: Float32Array;
  private initialised = false;
  private lastTimeNs: TimeNs | undefined;
  private sinceForgetS = 0;

  constructor(options: Partial<LogOddsGridOptions> = {}) {
    const o = { ...defaultLogOddsGridOptions, ...options };
    if (!(o.resolution > 0)) throw new RangeError(`occupancy grid: resolution must be > 0, got ${o.resolution}`);
    if (!Number.isInteger(o.width) || !Number.isInteger(o.height) || o.width < 1 || o.height < 1) {
      throw new RangeError(`occupancy grid: size must be whole cells >= 1, got ${o.width}x${o.height}`);
    }
    if (!(o.hit > 0) || !(o.miss < 0) || !(o.min < 0) || !(o.max > 0)) {
      throw new RangeError('occupancy grid: need hit > 0, miss < 0, min < 0 < max');
    }
    if (!(o.decayHalfLifeS > 0)) throw new RangeError(`occupancy grid: decayHalfLifeS must be > 0, got ${o.decayHalfLifeS}`);
    this.options = o;
    this.resolution = o.resolution;
    this.width = o.width;
    this.height = o.height;
    this.logOdds = new Float32Array(o.width * o.height);
    this.spare = new Float32Array(o.width * o.height);
    this.markWords = new Uint32Array(Math.ceil((o.width * o.height) / 4));
    this.marks = new Uint8Array(this.markWords.buffer, 0, o.width * o.height);
  }

  /** World coordinates of the grid's (0, 0) corner. */
  get originX(): number {
    return this.originCellX * this.resolution;
  }
  get originY(): number {
    return this.originCellY * this.resolution;
  }

  /** Cell index of a world point, or -1 off the grid. */
  cellIndex(x: number, y: number): number {
    const col = Math.floor(x / this.resolution) - this.originCellX;
    const row = Math.floor(y / this.resolution) - this.originCellY;
    if (col < 0 || row < 0 || col >= this.width || row >= this.height) return -1;
    return row * this.width + col;
  }

  /** Log-odds at a world point (0 off the grid). */
  valueAt(x: number, y: number): number {
    const i = this.cellIndex(x, y);
    return i < 0 ? 0 : this.logOdds[i];
  }

  /**
   * Keeps the grid centred `lookAhead` metres ahead of `ego`: shifts by whole cells when that
   * point has strayed too far from the centre.
   */
  follow(ego: Pose2): void {
    if (!Number.isFinite(ego.x) || !Number.isFinite(ego.y) || !Number.isFinite(ego.yaw)) {
      throw new RangeError(`occupancy grid: ego pose (${ego.x}, ${ego.y}, ${ego.yaw}) is not finite`);
    }
    const ahead = this.options.lookAhead;
    const cx = ego.x + ahead * Math.cos(ego.yaw);
    const cy = ego.y + ahead * Math.sin(ego.yaw);
    const wantX = Math.floor(cx / this.resolution) - (this.width >> 1);
    const wantY = Math.floor(cy / this.resolution) - (this.height >> 1);
    if (!this.initialised) {
      this.originCellX = wantX;
      this.originCellY = wantY;
      this.initialised = true;
      return;
    }
    const dx = wantX - this.originCellX;
    const dy = wantY - this.originCellY;
    const limit = this.options.recenterDistance / this.resolution;
    if (Math.abs(dx) <= limit && Math.abs(dy) <= limit) return;
    this.shift(dx, dy);
  }

  /** Moves the origin by (dx, dy) cells, keeping every cell that stays on the grid. */
  shift(dx: number, dy: number): void {
    const { width: w, height: h } = this;
    const src = this.logOdds;
    const dst = this.spare;
    dst.fill(0);
    if (Math.abs(dx) < w && Math.abs(dy) < h) {
      // New cell (c, r) = old cell (c + dx, r + dy).
      const c0 = Math.max(0, -dx);
      const c1 = Math.min(w, w - dx);
      for (let r = Math.max(0, -dy); r < Math.min(h, h - dy); r++) {
        const from = (r + dy) * w + c0 + dx;
        dst.set(src.subarray(from, from + (c1 - c0)), r * w + c0);
      }
    }
    this.spare = src;
    this.logOdds = dst;
    this.originCellX += dx;
    this.originCellY += dy;
  }

  /**
   * Applies this frame's marks (then clears them) and decays every unmarked cell by the time
   * since the previous frame. With `copyTo`, the new values are copied there (a snapshot).
   */
  integrate(timeNs: TimeNs, copyTo?: Float32Array): void {
    const { decayHalfLifeS } = this.options;
    const dt = this.lastTimeNs === undefined ? 0 : Number(timeNs - this.lastTimeNs) / 1e9;
    this.lastTimeNs = timeNs;
    const decay = dt > 0 && Number.isFinite(decayHalfLifeS) ? Math.pow(0.5, dt / decayHalfLifeS) : 1;
    const l = this.logOdds;
    const n = l.length;
    if (copyTo && copyTo.length !== n) throw new RangeError(`occupancy grid: snapshot buffer has ${copyTo.length} cells, grid has ${n}`);
    applyMarksAndDecay(l, this.marks, this.markWords, decay, this.options);
    // Every FORGET_EVERY_S of drive, cells decayed to within FORGET of 0 become unknown again:
    // left unobserved for minutes (behind a parked car, say) they would otherwise turn denormal,
    // which is slow arithmetic. A pass of its own: a test in the loop above costs every frame.
    this.sinceForgetS += dt;
    if (this.sinceForgetS >= FORGET_EVERY_S) {
      this.sinceForgetS = 0;
      for (let i = 0; i < n; i++) if (l[i] < FORGET && l[i] > -FORGET) l[i] = 0;
    }
    if (copyTo) copyTo.set(l);
  }

  /** Forgets everything (e.g. after a jump in the pose). */
  clear(): void {
    this.logOdds.fill(0);
    this.marks.fill(0);
    this.initialised = false;
    this.lastTimeNs = undefined;
  }

  /** An independent copy as the shared message type (`values`: already copied cells to use). */
  snapshot(timeNs: TimeNs, values?: Float32Array): OccupancyGrid {
    return {
      timeNs,
      frameId: 'world',
      origin: { x: this.originX, y: this.originY, yaw: 0 },
      resolution: this.resolution,
      width: this.width,
      height: this.height,
      logOdds: values ?? this.logOdds.slice(),
    };
  }
}

/**
 * The grid pass: marked cells get their evidence (and their marks are cleared), unmarked ones
 * decay. Marks are read four at a time: most of a grid is unmarked in any one frame, and a
 * word of four unmarked cells is four multiplications without a branch.
 */
function applyMarksAndDecay(l: Float32Array, m: Uint8Array, words: Uint32Array, decay: number, o: LogOddsGridOptions): void {
  const { hit, miss, min, max } = o;
  const n = l.length;
  const whole = n >> 2;
  for (let w = 0; w < whole; w++) {
    const i = w << 2;
    if (words[w] === 0) {
      l[i] *= decay;
      l[i + 1] *= decay;
      l[i + 2] *= decay;
      l[i + 3] *= decay;
      continue;
    }
    for (let j = i; j < i + 4; j++) l[j] = updated(l[j], m[j], decay, hit, miss, min, max);
    words[w] = 0;
  }
  for (let j = whole << 2; j < n; j++) {
    l[j] = updated(l[j], m[j], decay, hit, miss, min, max);
    m[j] = 0;
  }
}

/** One cell's new log-odds for its mark (0: none, it decays). */
function updated(old: number, mark: number, decay: number, hit: number, miss: number, min: number, max: number): number {
  if (mark === 0) return old * decay;
  let v: number;
  if (mark === MARK_MAYBE_OCCUPIED) {
    // Half a hit, but never past one hit: the same uncertain placement seen again next
    // frame is not new evidence, so it cannot add up to certainty on its own.
    v = old >= hit ? old : Math.min(hit, old + hit / 2);
  } else {
    v = mark === MARK_EGO ? min : old + (mark === MARK_OCCUPIED ? hit : miss);
  }
  return v < min ? min : v > max ? max : v;
}

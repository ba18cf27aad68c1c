/**
 * Everything that stands on the ground is a vertical prism: an oriented box (buildings, cars,
 * fences) or an upright cylinder (poles, trunks, people, canopies) between two heights. Stored
 * as a struct of typed arrays so the renderer and the occupancy rasteriser loop without objects.
 */

/** CamVid class ids (datasets: camvid/classes.json). */
export const Label = {
  sky: 0,
  building: 1,
  pole: 2,
  road: 3,
  pavement: 4,
  tree: 5,
  signSymbol: 6,
  fence: 7,
  car: 8,
  pedestrian: 9,
  bicyclist: 10,
  void: 11,
} as const;

/** CamVid's class table in id order (SegNet's 11 classes and void), names and colours as in its classes.json. */
export const CAMVID_CLASSES = [
  { name: 'Sky', color: [128, 128, 128] },
  { name: 'Building', color: [128, 0, 0] },
  { name: 'Pole', color: [192, 192, 128] },
  { name: 'Road', color: [128, 64, 128] },
  { name: 'Pavement', color: [60, 40, 222] },
  { name: 'Tree', color: [128, 128, 0] },
  { name: 'SignSymbol', color: [192, 128, 128] },
  { name: 'Fence', color: [64, 64, 128] },
  { name: 'Car', color: [64, 0, 128] },
  { name: 'Pedestrian', color: [64, 64, 0] },
  { name: 'Bicyclist', color: [0, 128, 192] },
  { name: 'Unlabelled', color: [0, 0, 0] },
] as const;

export const Shape = { box: 0, cylinder: 1 } as const;

/** How the renderer paints a prism's surface. */
export const Style = {
  plain: 0,
  facade: 1,
  car: 2,
  person: 3,
  pole: 4,
  trunk: 5,
  canopy: 6,
  fence: 7,
  sign: 8,
} as const;

export interface PrismSpec {
  shape: number;
  label: number;
  style: number;
  x: number;
  y: number;
  /** Heading of the box's local x axis (boxes only). */
  yaw?: number;
  /** Half extents along local x and y (boxes). */
  hx?: number;
  hy?: number;
  /** Radius (cylinders). */
  radius?: number;
  zMin: number;
  zMax: number;
  /** Base colour 0..255. */
  color: [number, number, number];
  /** Free texture parameter in [0, 1) (window pattern, clothes ...). */
  variant?: number;
  /** Whether the prism blocks driving at ground level (a canopy does not). */
  occupies?: boolean;
}

export class Prisms {
  count = 0;
  private cap: number;
  shape: Uint8Array;
  label: Uint8Array;
  style: Uint8Array;
  occupies: Uint8Array;
  x: Float64Array;
  y: Float64Array;
  cos: Float64Array;
  sin: Float64Array;
  hx: Float64Array;
  hy: Float64Array;
  radius: Float64Array;
  zMin: Float64Array;
  zMax: Float64Array;
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
  variant: Float32Array;

  constructor(capacity = 64) {
    this.cap = Math.max(1, capacity);
    this.shape = new Uint8Array(this.cap);
    this.label = new Uint8Array(this.cap);
    this.style = new Uint8Array(this.cap);
    this.occupies = new Uint8Array(this.cap);
    this.x = new Float64Array(this.cap);
    this.y = new Float64Array(this.cap);
    this.cos = new Float64Array(this.cap);
    this.sin = new Float64Array(this.cap);
    this.hx = new Float64Array(this.cap);
    this.hy = new Float64Array(this.cap);
    this.radius = new Float64Array(this.cap);
    this.zMin = new Float64Array(this.cap);
    this.zMax = new Float64Array(this.cap);
    this.r = new Float32Array(this.cap);
    this.g = new Float32Array(this.cap);
    this.b = new Float32Array(this.cap);
    this.variant = new Float32Array(this.cap);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const grow = <T extends Uint8Array | Float64Array | Float32Array>(a: T): T => {
      const n = new (a.constructor as new (n: number) => T)(cap);
      n.set(a);
      return n;
    };
    this.shape = grow(this.shape);
    this.label = grow(this.label);
    this.style = grow(this.style);
    this.occupies = grow(this.occupies);
    this.x = grow(this.x);
    this.y = grow(this.y);
    this.cos = grow(this.cos);
    this.sin = grow(this.sin);
    this.hx = grow(this.hx);
    this.hy = grow(this.hy);
    this.radius = grow(this.radius);
    this.zMin = grow(this.zMin);
    this.zMax = grow(this.zMax);
    this.r = grow(this.r);
    this.g = grow(this.g);
    this.b = grow(this.b);
    this.variant = grow(this.variant);
    this.cap = cap;
  }

  add(p: PrismSpec): number {
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    this.set(i, p);
    return i;
  }

  set(i: number, p: PrismSpec): void {
    if (!(p.zMax > p.zMin)) throw new RangeError(`prism ${i}: zMax ${p.zMax} must exceed zMin ${p.zMin}`);
    this.shape[i] = p.shape;
    this.label[i] = p.label;
    this.style[i] = p.style;
    this.occupies[i] = p.occupies === false ? 0 : 1;
    this.x[i] = p.x;
    this.y[i] = p.y;
    const yaw = p.yaw ?? 0;
    this.cos[i] = Math.cos(yaw);
    this.sin[i] = Math.sin(yaw);
    this.hx[i] = p.hx ?? 0;
    this.hy[i] = p.hy ?? 0;
    this.radius[i] = p.shape === Shape.cylinder ? (p.radius ?? 0) : Math.hypot(p.hx ?? 0, p.hy ?? 0);
    this.zMin[i] = p.zMin;
    this.zMax[i] = p.zMax;
    this.r[i] = p.color[0];
    this.g[i] = p.color[1];
    this.b[i] = p.color[2];
    this.variant[i] = p.variant ?? 0;
  }

  /** Move a prism (moving actors), keeping its shape. */
  place(i: number, x: number, y: number, yaw: number): void {
    this.x[i] = x;
    this.y[i] = y;
    this.cos[i] = Math.cos(yaw);
    this.sin[i] = Math.sin(yaw);
  }

  /** Whether the ground point (px, py) lies inside prism i's footprint, grown by `margin` metres. */
  contains(i: number, px: number, py: number, margin = 0): boolean {
    const dx = px - this.x[i];
    const dy = py - this.y[i];
    if (this.shape[i] === Shape.cylinder) {
      const r = this.radius[i] + margin;
      return dx * dx + dy * dy <= r * r;
    }
    const lx = dx * this.cos[i] + dy * this.sin[i];
    const ly = -dx * this.sin[i] + dy * this.cos[i];
    return Math.abs(lx) <= this.hx[i] + margin && Math.abs(ly) <= this.hy[i] + margin;
  }

  /** Distance from a ground point to prism i's footprint (0 inside). */
  distance(i: number, px: number, py: number): number {
    const dx = px - this.x[i];
    const dy = py - this.y[i];
    if (this.shape[i] === Shape.cylinder) return Math.max(0, Math.hypot(dx, dy) - this.radius[i]);
    const lx = Math.abs(dx * this.cos[i] + dy * this.sin[i]) - this.hx[i];
    const ly = Math.abs(-dx * this.sin[i] + dy * this.cos[i]) - this.hy[i];
    return Math.hypot(Math.max(lx, 0), Math.max(ly, 0));
  }
}

/**
 * A uniform 2D grid over the prisms' bounding circles, for the renderer's per-column ray walk
 * and for area queries. Built once for the static scenery.
 */
export class PrismGrid {
  readonly cell: number;
  readonly minX: number;
  readonly minY: number;
  readonly cols: number;
  readonly rows: number;
  readonly cellStart: Int32Array;
  readonly cellItems: Int32Array;

  constructor(prisms: Prisms, minX: number, minY: number, maxX: number, maxY: number, cell = 4) {
    this.cell = cell;
    this.minX = minX;
    this.minY = minY;
    this.cols = Math.max(1, Math.ceil((maxX - minX) / cell));
    this.rows = Math.max(1, Math.ceil((maxY - minY) / cell));
    const counts = new Int32Array(this.cols * this.rows + 1);
    const span = (i: number, fn: (c: number) => void): void => {
      const r = prisms.radius[i];
      const c0 = Math.max(0, Math.floor((prisms.x[i] - r - minX) / cell));
      const c1 = Math.min(this.cols - 1, Math.floor((prisms.x[i] + r - minX) / cell));
      const r0 = Math.max(0, Math.floor((prisms.y[i] - r - minY) / cell));
      const r1 = Math.min(this.rows - 1, Math.floor((prisms.y[i] + r - minY) / cell));
      for (let row = r0; row <= r1; row++) for (let col = c0; col <= c1; col++) fn(row * this.cols + col);
    };
    for (let i = 0; i < prisms.count; i++) span(i, (c) => counts[c + 1]++);
    for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
    this.cellStart = counts;
    this.cellItems = new Int32Array(counts[counts.length - 1]);
    const fill = Int32Array.from(counts.subarray(0, counts.length - 1));
    for (let i = 0; i < prisms.count; i++) span(i, (c) => (this.cellItems[fill[c]++] = i));
  }

  /** Calls fn for each prism whose bounding circle may touch the axis-aligned rectangle (duplicates possible). */
  query(x0: number, y0: number, x1: number, y1: number, fn: (i: number) => void): void {
    const c0 = Math.max(0, Math.floor((x0 - this.minX) / this.cell));
    const c1 = Math.min(this.cols - 1, Math.floor((x1 - this.minX) / this.cell));
    const r0 = Math.max(0, Math.floor((y0 - this.minY) / this.cell));
    const r1 = Math.min(this.rows - 1, Math.floor((y1 - this.minY) / this.cell));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.cols + c;
        for (let k = this.cellStart[cell]; k < this.cellStart[cell + 1]; k++) fn(this.cellItems[k]);
      }
    }
  }
}

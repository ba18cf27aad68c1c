/**
 * An 8-connected grid as the grid searches see it: the blocked mask padded with one ring of
 * blocked cells, so neighbour loops need no bounds checks. Diagonal moves may not cut corners:
 * both orthogonal neighbours must be free (the Moving AI rule).
 */
export class GridGraph {
  readonly width: number;
  readonly height: number;
  /** Padded row length (width + 2). */
  readonly stride: number;
  /** 1 = blocked, padded (width + 2) x (height + 2), row-major. */
  readonly blocked: Uint8Array;

  /** `blocked` is row-major, width x height, non-zero = blocked. */
  constructor(width: number, height: number, blocked: ArrayLike<number>) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new RangeError(`grid size must be positive integers, got ${width}x${height}`);
    }
    if (blocked.length !== width * height) {
      throw new RangeError(`blocked mask has ${blocked.length} cells, expected ${width}x${height} = ${width * height}`);
    }
    this.width = width;
    this.height = height;
    this.stride = width + 2;
    this.blocked = new Uint8Array((width + 2) * (height + 2)).fill(1);
    this.setBlocked(blocked);
  }

  /** Replaces the blocked mask (same size) in place, so searches built on this graph can be reused. */
  setBlocked(blocked: ArrayLike<number>): void {
    const { width, height } = this;
    if (blocked.length !== width * height) {
      throw new RangeError(`blocked mask has ${blocked.length} cells, expected ${width}x${height} = ${width * height}`);
    }
    const padded = this.blocked;
    for (let y = 0; y < height; y++) {
      const row = (y + 1) * this.stride + 1;
      for (let x = 0; x < width; x++) padded[row + x] = blocked[y * width + x] ? 1 : 0;
    }
  }

  /** Padded index of cell (x, y). */
  index(x: number, y: number): number {
    return (y + 1) * this.stride + x + 1;
  }

  inside(x: number, y: number): boolean {
    return Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < this.width && y < this.height;
  }

  isFree(x: number, y: number): boolean {
    return this.inside(x, y) && this.blocked[this.index(x, y)] === 0;
  }

  /** Throws a RangeError naming `what` when (x, y) is outside the grid or blocked. */
  checkCell(what: string, x: number, y: number): void {
    if (!this.inside(x, y)) {
      throw new RangeError(`${what} (${x},${y}) is outside the ${this.width}x${this.height} map`);
    }
    if (this.blocked[this.index(x, y)] !== 0) throw new RangeError(`${what} (${x},${y}) is a blocked cell`);
  }
}

/** Generation stamps: a value per cell is valid only when its stamp equals the current one. */
export class Stamps {
  readonly marks: Uint32Array;
  current = 0;

  constructor(size: number) {
    this.marks = new Uint32Array(size);
  }

  /** Starts a new generation; everything marked before reads as unmarked. */
  next(): number {
    if (this.current === 0xffffffff) {
      this.marks.fill(0);
      this.current = 0;
    }
    return ++this.current;
  }

  /** Starts a new generation that owns two stamp values, returned and returned + 1. */
  next2(): number {
    if (this.current >= 0xfffffffd) {
      this.marks.fill(0);
      this.current = 0;
    }
    this.current += 2;
    return this.current - 1;
  }
}

/**
 * The peer for the Moving AI benchmark: PathFinding.js (`pathfinding` on npm) AStarFinder with
 * diagonal moves only when both orthogonal neighbours are free and the octile heuristic, i.e.
 * the same rules as grid A*. PathFinding.js marks nodes in place, so every search needs a fresh
 * grid: `prepare()` clones it outside the timed region and `solve()` times only findPath.
 */
interface PfGrid {
  clone(): PfGrid;
}
interface PfModule {
  Grid: new (width: number, height: number, matrix: number[][]) => PfGrid;
  AStarFinder: new (opts: object) => { findPath(sx: number, sy: number, gx: number, gy: number, grid: PfGrid): number[][] };
  DiagonalMovement: { OnlyWhenNoObstacles: number };
  Heuristic: { octile: (dx: number, dy: number) => number };
}

export interface PeerSolution {
  ms: number;
  /** Length of the returned path (Infinity when it found none). */
  length: number;
}

export interface Peer {
  name: string;
  /** Readies a map; the returned function times one query on a fresh clone of its grid. */
  prepare(width: number, height: number, blocked: Uint8Array): (sx: number, sy: number, gx: number, gy: number) => PeerSolution;
}

export async function loadPathfindingPeer(): Promise<Peer> {
  let mod: { default?: PfModule } & Partial<PfModule>;
  try {
    // @ts-ignore -- PathFinding.js ships no type declarations; the shape used is PfModule.
    mod = await import('pathfinding');
  } catch (err) {
    throw new Error(`the benchmark peer needs the 'pathfinding' npm package (npm install pathfinding): ${(err as Error).message}`);
  }
  const PF = (mod.default ?? mod) as PfModule;
  const finder = new PF.AStarFinder({ diagonalMovement: PF.DiagonalMovement.OnlyWhenNoObstacles, heuristic: PF.Heuristic.octile });
  return {
    name: 'PathFinding.js AStarFinder',
    prepare(width, height, blocked) {
      const matrix: number[][] = [];
      for (let y = 0; y < height; y++) matrix.push(Array.from(blocked.subarray(y * width, (y + 1) * width)));
      const base = new PF.Grid(width, height, matrix);
      return (sx, sy, gx, gy) => {
        const grid = base.clone(); // untimed: PathFinding.js mutates the nodes it visits
        const t0 = performance.now();
        const path = finder.findPath(sx, sy, gx, gy, grid);
        const ms = performance.now() - t0;
        let length = path.length > 0 ? 0 : Infinity;
        for (let k = 1; k < path.length; k++) {
          const diag = path[k][0] !== path[k - 1][0] && path[k][1] !== path[k - 1][1];
          length += diag ? Math.SQRT2 : 1;
        }
        return { ms, length };
      };
    },
  };
}

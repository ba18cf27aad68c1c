/**
 * The peers for the Moving AI benchmark: PathFinding.js (`pathfinding` on npm) AStarFinder (the
 * issue's peer) and JumpPointFinder, both with diagonal moves only when both orthogonal
 * neighbours are free and the octile heuristic, i.e. the same rules as our grid searches.
 * PathFinding.js marks nodes in place, so every search needs a fresh grid: `prepare()` clones
 * it outside the timed region and `solve()` times only findPath.
 */
interface PfGrid {
  clone(): PfGrid;
}
interface PfFinder {
  findPath(sx: number, sy: number, gx: number, gy: number, grid: PfGrid): number[][];
}
interface PfModule {
  Grid: new (width: number, height: number, matrix: number[][]) => PfGrid;
  AStarFinder: new (opts: object) => PfFinder;
  JumpPointFinder: new (opts: object) => PfFinder;
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

/**
 * PathFinding.js as a peer: `astar` = AStarFinder (every cell of the path returned), `jps` =
 * JumpPointFinder (the jump points only; the length sums each straight or diagonal leg).
 */
export async function loadPathfindingPeer(kind: 'astar' | 'jps' = 'astar'): Promise<Peer> {
  let mod: { default?: PfModule } & Partial<PfModule>;
  try {
    // @ts-ignore -- PathFinding.js ships no type declarations; the shape used is PfModule.
    mod = await import('pathfinding');
  } catch (err) {
    throw new Error(`the benchmark peer needs the 'pathfinding' npm package (npm install pathfinding): ${(err as Error).message}`);
  }
  const PF = (mod.default ?? mod) as PfModule;
  const opts = { diagonalMovement: PF.DiagonalMovement.OnlyWhenNoObstacles, heuristic: PF.Heuristic.octile };
  const finder = kind === 'jps' ? new PF.JumpPointFinder(opts) : new PF.AStarFinder(opts);
  return {
    name: kind === 'jps' ? 'PathFinding.js JumpPointFinder' : 'PathFinding.js AStarFinder',
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
          // Octile length of each leg: one step per leg for A*, a whole straight or diagonal run for JPS.
          const dx = Math.abs(path[k][0] - path[k - 1][0]);
          const dy = Math.abs(path[k][1] - path[k - 1][1]);
          length += Math.max(dx, dy) + (Math.SQRT2 - 1) * Math.min(dx, dy);
        }
        return { ms, length };
      };
    },
  };
}

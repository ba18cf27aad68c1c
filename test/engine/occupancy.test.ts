import { describe, expect, it } from 'vitest';
import { CameraModel } from '../../sensors/camera.js';
import { buildGroundLut } from '../../engine/occupancy/ground-lut.js';
import { LogOddsGrid, MARK_MAYBE_OCCUPIED, MARK_OCCUPIED } from '../../engine/occupancy/log-odds-grid.js';
import { OccupancyMapper } from '../../engine/occupancy/occupancy-mapper.js';
import type { Segmentation } from '../../types/index.js';
import { CAR, PAVEMENT, ROAD, SKY, classTable, forwardCamera, renderSegmentation } from './forward-camera.js';
import { roleTable } from '../../engine/occupancy/free-space.js';

const calib = forwardCamera(200, 300); // sees the road from 2.2 m to the horizon
const cam = new CameraModel(calib);
const origin = { x: 0, y: 0, yaw: 0 };

/** Pixel row whose centre sees the ground at `range` metres straight ahead. */
function rowAtRange(range: number): number {
  return Math.round(calib.cy + (calib.fy * 1.65) / range);
}

function handMadeSegmentation(): Segmentation {
  const { width, height } = calib;
  const classes = new Uint8Array(width * height).fill(ROAD);
  const horizon = Math.ceil(calib.cy);
  for (let v = 0; v <= horizon; v++) classes.fill(SKY, v * width, (v + 1) * width);
  // A car straight ahead whose lowest pixel row sees the ground at 10 m, columns 95..104.
  const carRow = rowAtRange(10);
  for (let v = 0; v <= carRow; v++) classes.fill(CAR, v * width + 95, v * width + 105);
  // Columns 20..29 see only sky/void down to the bottom: nothing may be written there.
  for (let v = 0; v < height; v++) classes.fill(SKY, v * width + 20, v * width + 30);
  return { timeNs: 1_000_000_000n, width, height, classes, classTable };
}

describe('ground lookup tables', () => {
  it('samples every column without gaps larger than half a cell, inside the range limits', () => {
    const lut = buildGroundLut(calib, calib.width, calib.height, { resolution: 0.2, minRange: 3, maxRange: 40, groundZ: 0 });
    expect(lut.sampleX.length).toBeGreaterThan(calib.width * 100);
    const u = 100;
    let prev: { x: number; y: number } | null = null;
    for (let r = lut.colRowStart[u]; r < lut.colRowStart[u + 1]; r++) {
      for (let k = lut.rowSampleStart[r]; k < lut.rowSampleStart[r + 1]; k++) {
        const x = lut.sampleX[k];
        const y = lut.sampleY[k];
        const range = Math.hypot(x, y);
        expect(range).toBeGreaterThanOrEqual(3 - 1e-6);
        expect(range).toBeLessThanOrEqual(40 + 1e-6);
        if (prev) {
          expect(x).toBeGreaterThan(prev.x); // bottom-up = increasing range
          expect(Math.hypot(x - prev.x, y - prev.y)).toBeLessThanOrEqual(0.1 + 1e-4);
        }
        prev = { x, y };
      }
    }
    // The samples of the centre column reach (almost) the far limit.
    expect(prev!.x).toBeGreaterThan(39.8);
    // Pixel centre ground points agree with the camera model.
    const r0 = lut.colRowStart[u];
    const g = cam.pixelToGround(u, lut.rowV[r0] + 0.5, 0)!; // hits sit at the pixel's lower edge
    expect(lut.rowHitX[r0]).toBeCloseTo(g.x, 4);
  });

  it('rescales the calibration to the segmentation size', () => {
    const half = buildGroundLut(calib, 100, 50, { resolution: 0.2, minRange: 3, maxRange: 40, groundZ: 0 });
    // Column 50 of the half-size map is the image's optical centre column; its rays go straight ahead.
    const r = half.colRowStart[50];
    expect(Math.abs(half.rowHitY[r])).toBeLessThan(0.05 * half.rowHitX[r]);
  });
});

describe('camera-only free space', () => {
  it('marks drivable ground free, the obstacle contact occupied and what lies behind it unknown', () => {
    const mapper = new OccupancyMapper({ egoFootprint: null });
    mapper.update(handMadeSegmentation(), calib, origin);
    const g = mapper.grid;
    // Road straight ahead in front of the car: free.
    for (const x of [4, 6, 8, 9.3]) expect(g.valueAt(x, 0), `free at ${x} m`).toBeLessThan(0);
    // The car's ground contact, at the lower edge of its lowest pixel (about 9.7 m): occupied.
    const contact = cam.pixelToGround(100, rowAtRange(10) + 0.5, 0)!;
    expect(contact.x).toBeGreaterThan(9.5);
    expect(g.valueAt(contact.x, contact.y)).toBeGreaterThan(0);
    // Behind the car (hidden): unknown.
    for (const x of [12, 15, 25]) expect(g.valueAt(x, 0), `unknown at ${x} m`).toBe(0);
    // Beside the car the road is visible far ahead: free at 15 m, 2 m to the side.
    expect(g.valueAt(15, 2)).toBeLessThan(0);
    // Closer than the minimum range: nothing written.
    expect(g.valueAt(2.5, 0)).toBe(0);
    // Beyond the far limit: nothing written.
    expect(g.valueAt(41, 0)).toBe(0);
    // The sky columns (u = 20..29) look to the left: their ground stays unknown.
    const left = cam.pixelToGround(25, rowAtRange(8), 0)!;
    expect(left.y).toBeGreaterThan(1);
    expect(g.valueAt(left.x, left.y)).toBe(0);
    // No occupied cell other than around the car's contact line.
    const l = g.logOdds;
    let occupied = 0;
    for (let i = 0; i < l.length; i++) {
      if (l[i] > 0) {
        occupied++;
        const col = i % g.width;
        const row = Math.floor(i / g.width);
        const x = (g.originCellX + col + 0.5) * g.resolution;
        const y = (g.originCellY + row + 0.5) * g.resolution;
        expect(Math.abs(x - contact.x)).toBeLessThan(0.3);
        expect(Math.abs(y)).toBeLessThan(0.5);
      }
    }
    expect(occupied).toBeGreaterThan(0);
  });

  it('looks past ground that is not drivable (pavement) to the obstacle standing on it', () => {
    const seg = handMadeSegmentation();
    const { width } = calib;
    // Pavement from 7 m up to the car (columns 95..104), and in the car columns of a second
    // frame the pavement is seen as an obstacle class by a role override.
    const from = rowAtRange(7);
    const carRow = rowAtRange(10);
    for (let v = carRow + 1; v <= from; v++) seg.classes.fill(PAVEMENT, v * width + 95, v * width + 105);
    const mapper = new OccupancyMapper();
    mapper.update(seg, calib, origin);
    const contact = cam.pixelToGround(100, carRow + 0.5, 0)!;
    expect(mapper.grid.valueAt(contact.x, contact.y)).toBeGreaterThan(0); // the car is found
    expect(mapper.grid.valueAt(8.5, 0)).toBe(0); // the pavement itself: not free, not occupied
    expect(mapper.grid.valueAt(5, 0)).toBeLessThan(0); // the road before it: free

    // The same frame when pavement counts as an obstacle: its near edge is occupied, the car unseen.
    const strict = new OccupancyMapper({ classRoles: { Pavement: 'obstacle' } });
    strict.update(seg, calib, origin);
    const edge = cam.pixelToGround(100, from + 0.5, 0)!;
    expect(strict.grid.valueAt(edge.x, edge.y)).toBeGreaterThan(0);
    expect(strict.grid.valueAt(contact.x, contact.y)).toBe(0);
  });

  it('clears the cells under the ego vehicle: a false obstacle seen ahead goes once the car stands on it', () => {
    const mapper = new OccupancyMapper({ decayHalfLifeS: Infinity });
    const seg = handMadeSegmentation();
    const contact = cam.pixelToGround(100, rowAtRange(10) + 0.5, 0)!;
    for (let i = 0; i < 3; i++) mapper.update({ ...seg, timeNs: BigInt(i) * 100_000_000n }, calib, origin);
    expect(mapper.grid.valueAt(contact.x, 0)).toBeGreaterThan(2);
    // The car moves onto it; the camera now sees only sky, so only the footprint speaks.
    const blind = { ...seg, classes: new Uint8Array(seg.classes.length).fill(SKY) };
    for (let i = 3; i < 12; i++) mapper.update({ ...blind, timeNs: BigInt(i) * 100_000_000n }, calib, { x: contact.x - 1, y: 0, yaw: 0 });
    expect(mapper.grid.valueAt(contact.x, 0)).toBeLessThan(0);
  });

  it('walks over a lone obstacle pixel (segmentation noise) but not over a standing obstacle', () => {
    const { width } = calib;
    const classes = new Uint8Array(calib.width * calib.height).fill(ROAD);
    for (let v = 0; v <= Math.ceil(calib.cy); v++) classes.fill(SKY, v * width, (v + 1) * width);
    const speck = rowAtRange(6);
    // A speck 2 pixels tall (below the default run of 3), 21 columns wide, at 6 m.
    classes.fill(CAR, speck * width + 90, speck * width + 111);
    classes.fill(CAR, (speck - 1) * width + 90, (speck - 1) * width + 111);
    const seg = { timeNs: 0n, width, height: calib.height, classes, classTable };
    const speckAt = cam.pixelToGround(100, speck + 0.5, 0)!;
    const lenient = new OccupancyMapper({ egoFootprint: null });
    lenient.update(seg, calib, origin);
    expect(lenient.grid.valueAt(speckAt.x, speckAt.y)).toBeLessThanOrEqual(0); // walked over: not occupied...
    expect(lenient.grid.valueAt(12, 0)).toBeLessThan(0); // ...and the road beyond is seen
    const strict = new OccupancyMapper({ egoFootprint: null, minObstacleRun: 1, minObstacleHeight: 0 });
    strict.update(seg, calib, origin);
    expect(strict.grid.valueAt(speckAt.x, speckAt.y)).toBeGreaterThan(0);
    expect(strict.grid.valueAt(12, 0)).toBe(0);
  });

  it('walks over an obstacle too low to matter (rails, kerbs) but not over one standing tall enough', () => {
    const { width } = calib;
    const classes = new Uint8Array(calib.width * calib.height).fill(ROAD);
    for (let v = 0; v <= Math.ceil(calib.cy); v++) classes.fill(SKY, v * width, (v + 1) * width);
    // 8 obstacle rows at 6 m, columns 90..110: 8 * 6 / 200 = 0.24 m of height.
    const low = rowAtRange(6);
    for (let v = low - 7; v <= low; v++) classes.fill(CAR, v * width + 90, v * width + 111);
    const seg = { timeNs: 0n, width, height: calib.height, classes, classTable };
    const lowAt = cam.pixelToGround(100, low + 0.5, 0)!;
    const byHeight = new OccupancyMapper({ egoFootprint: null, minObstacleHeight: 0.3 });
    byHeight.update(seg, calib, origin);
    expect(byHeight.grid.valueAt(lowAt.x, lowAt.y)).toBeLessThanOrEqual(0);
    expect(byHeight.grid.valueAt(12, 0)).toBeLessThan(0); // seen past it
    const lower = new OccupancyMapper({ egoFootprint: null, minObstacleHeight: 0.2 });
    lower.update(seg, calib, origin);
    expect(lower.grid.valueAt(lowAt.x, lowAt.y)).toBeGreaterThan(0);
    expect(lower.grid.valueAt(12, 0)).toBe(0);
  });

  it('walks through obstacle pixels that stereo found flat, to the obstacle standing beyond', () => {
    // The segmentation calls a stretch of ground from 7 to 9 m an obstacle (a gravel bed read
    // as a building); a car stands at 12 m behind it.
    const { width } = calib;
    const seg = handMadeSegmentation();
    const near = rowAtRange(7);
    const far = rowAtRange(9);
    const carRow = rowAtRange(12);
    for (let v = 0; v < seg.height; v++) {
      if (v <= carRow || (v >= far && v <= near)) seg.classes.fill(CAR, v * width + 40, v * width + 80);
      else if (v > carRow) seg.classes.fill(ROAD, v * width + 40, v * width + 80);
    }
    const groundLike = new Uint8Array(seg.classes.length);
    for (let v = far; v <= near; v++) groundLike.fill(1, v * width + 40, v * width + 80);
    const bedEdge = cam.pixelToGround(60, near + 0.5, 0)!;
    const car = cam.pixelToGround(60, carRow + 0.5, 0)!;
    const bedMiddle = cam.pixelToGround(60, Math.round((near + far) / 2), 0)!;

    const mono = new OccupancyMapper({ egoFootprint: null });
    mono.fuse(mono.walk(seg, calib), origin, 0n);
    expect(mono.grid.valueAt(bedEdge.x, bedEdge.y)).toBeGreaterThan(0); // stops at the false obstacle
    expect(mono.grid.valueAt(car.x, car.y)).toBe(0);

    const stereo = new OccupancyMapper({ egoFootprint: null });
    stereo.fuse(stereo.walk(seg, calib, 0, undefined, groundLike), origin, 0n);
    expect(stereo.grid.valueAt(bedEdge.x, bedEdge.y)).toBeLessThanOrEqual(0);
    expect(stereo.grid.valueAt(bedMiddle.x, bedMiddle.y)).toBe(0); // flat, but not drivable: unknown
    expect(stereo.grid.valueAt(car.x, car.y)).toBeGreaterThan(0); // the car beyond is found
    expect(() => stereo.walk(seg, calib, 0, undefined, new Uint8Array(10))).toThrow(/stereo ground mask has 10 pixels, segmentation 60000/);
  });

  it('rejects a role override for a class the model does not have', () => {
    expect(() => roleTable(classTable, { Sidewalk: 'ground' })).toThrow(/no such class.*Road, Car, Sky, Pavement/);
  });

  it('applies the hit and miss log-odds once per frame and clamps them', () => {
    const mapper = new OccupancyMapper({ hit: 0.85, miss: -0.4, min: -2, max: 3.5, decayHalfLifeS: Infinity });
    const seg = handMadeSegmentation();
    mapper.update(seg, calib, origin);
    // Many rays cross the free cell at 6 m, but it gets one miss per frame.
    expect(mapper.grid.valueAt(6, 0)).toBeCloseTo(-0.4, 5);
    const contact = cam.pixelToGround(100, rowAtRange(10) + 0.5, 0)!;
    expect(mapper.grid.valueAt(contact.x, 0)).toBeCloseTo(0.85, 5);
    for (let i = 1; i < 20; i++) mapper.update({ ...seg, timeNs: seg.timeNs + BigInt(i) * 100_000_000n }, calib, origin);
    expect(mapper.grid.valueAt(6, 0)).toBeCloseTo(-2, 5);
    expect(mapper.grid.valueAt(contact.x, 0)).toBeCloseTo(3.5, 5);
  });

  it('gives half a hit to the contact interval beyond the estimate, up to contactSpread', () => {
    // A car whose lowest pixel sees the ground at 20 m: there a pixel row covers about a metre.
    const seg = handMadeSegmentation();
    const { width, height } = calib;
    const carRow = rowAtRange(20);
    for (let v = 0; v < height; v++) for (let u = 95; u < 105; u++) seg.classes[v * width + u] = v <= carRow ? CAR : ROAD;
    const values = (contactSpread: number): Map<number, number> => {
      const mapper = new OccupancyMapper({ contactSpread, decayHalfLifeS: Infinity });
      mapper.update(seg, calib, origin);
      const out = new Map<number, number>();
      for (let x = 15; x < 25; x += 0.2) {
        const l = mapper.grid.valueAt(x + 0.1, 0);
        if (l > 0) out.set(Math.round(x * 10) / 10, l);
      }
      return out;
    };
    const contact = cam.pixelToGround(100, carRow + 0.5, 0)!; // the estimate: the car's lower pixel edge
    const centre = cam.pixelToGround(100, carRow, 0)!; // centre of the car's lowest pixel
    expect(centre.x - contact.x).toBeGreaterThan(0.4); // the interval spans cells
    const alone = values(0);
    expect([...alone.keys()].every((x) => Math.abs(x + 0.1 - contact.x) < 0.25)).toBe(true);
    expect([...alone.values()].every((l) => Math.abs(l - 0.85) < 1e-6)).toBe(true); // one hit
    const spread = values(0.5);
    expect(spread.size).toBeGreaterThan(alone.size);
    for (const [x, l] of spread) {
      // Never nearer than the estimate's cell (that is the lane), never past the cap or the centre.
      expect(x + 0.2).toBeGreaterThan(contact.x);
      expect(x).toBeLessThan(Math.min(contact.x + 0.5, centre.x) + 0.01);
      // The estimate's cell a full hit, the rest half a hit.
      expect(l).toBeCloseTo(Math.abs(x + 0.1 - contact.x) < 0.1 ? 0.85 : 0.425, 5);
    }
    expect(() => new OccupancyMapper({ contactSpread: -1 })).toThrow(/contactSpread/);
  });

  it('follows rays as far as the grid reaches ahead: a car at 45 m is placed, one at 60 m is not', () => {
    const placed = (range: number): boolean => {
      const seg = handMadeSegmentation();
      const { width, height } = calib;
      const carRow = rowAtRange(range);
      for (let v = 0; v < height; v++) for (let u = 95; u < 105; u++) seg.classes[v * width + u] = v <= carRow ? CAR : ROAD;
      const mapper = new OccupancyMapper({ decayHalfLifeS: Infinity });
      mapper.update(seg, calib, origin);
      const contact = cam.pixelToGround(100, carRow + 0.5, 0)!;
      return mapper.grid.valueAt(contact.x, contact.y) > 0;
    };
    expect(placed(45)).toBe(true);
    expect(placed(60)).toBe(false);
  });

  it('with a stereo check, spreads a contact over its whole interval up to stereoContactSpread instead', () => {
    // A car at 35 m: there the far half of its lowest pixel's interval is over a metre deep.
    const seg = handMadeSegmentation();
    const { width, height } = calib;
    const carRow = rowAtRange(35);
    for (let v = 0; v < height; v++) for (let u = 95; u < 105; u++) seg.classes[v * width + u] = v <= carRow ? CAR : ROAD;
    const contact = cam.pixelToGround(100, carRow + 0.5, 0)!;
    const centre = cam.pixelToGround(100, carRow, 0)!;
    const roadCentre = cam.pixelToGround(100, carRow + 1, 0)!; // centre of the road pixel below
    expect(centre.x - contact.x).toBeGreaterThan(1);
    const occupiedSpan = (stereo: boolean): { near: number; far: number } => {
      const mapper = new OccupancyMapper({ decayHalfLifeS: Infinity });
      // A stereo check that found nothing flat: the walk is the same, the contact stereo-checked.
      mapper.fuse(mapper.walk(seg, calib, 0, undefined, stereo ? new Uint8Array(width * height) : undefined), origin, 0n);
      let near = Infinity;
      let far = -Infinity;
      for (let x = 25; x < 45; x += 0.05) {
        if (mapper.grid.valueAt(x, 0) <= 0) continue;
        near = Math.min(near, x);
        far = x;
      }
      return { near, far };
    };
    const mono = occupiedSpan(false);
    const stereo = occupiedSpan(true);
    // Without stereo: from the estimate's cell, 0.5 m outward.
    expect(mono.near).toBeGreaterThan(contact.x - 0.25);
    expect(mono.far).toBeLessThan(contact.x + 0.5 + 0.2);
    // With stereo: the interval between the two pixel centres, both ways from the estimate.
    expect(stereo.far).toBeGreaterThan(contact.x + 1 - 0.2);
    expect(stereo.far).toBeLessThan(Math.min(contact.x + 1.5, centre.x) + 0.2);
    expect(stereo.near).toBeLessThan(contact.x - 0.5);
    expect(stereo.near).toBeGreaterThan(Math.max(contact.x - 1.5, roadCentre.x) - 0.2);
    expect(() => new OccupancyMapper({ stereoContactSpread: Number.NaN })).toThrow(/stereoContactSpread/);
  });

  it('with obstacleDepth, gives half a hit to the ground behind the contact, that far and no further', () => {
    // A car whose lowest pixel sees the ground at 12 m, standing 8 rows tall up the column.
    const seg = handMadeSegmentation();
    const { width, height } = calib;
    const carRow = rowAtRange(12);
    for (let v = 0; v < height; v++) for (let u = 95; u < 105; u++) seg.classes[v * width + u] = v <= carRow && v > carRow - 8 ? CAR : v <= carRow ? SKY : ROAD;
    const occupiedXs = (obstacleDepth: number): number[] => {
      const mapper = new OccupancyMapper({ obstacleDepth, decayHalfLifeS: Infinity });
      mapper.update(seg, calib, origin);
      const xs: number[] = [];
      for (let x = 8; x < 25; x += 0.2) if (mapper.grid.valueAt(x + 0.1, 0) > 0) xs.push(x + 0.1);
      return xs;
    };
    const contact = cam.pixelToGround(100, carRow + 0.5, 0)!;
    const without = occupiedXs(0);
    const deep = occupiedXs(2);
    expect(Math.max(...without)).toBeLessThan(contact.x + 0.6);
    // Behind the contact, through the car's pixels, up to 2 m; never nearer than the contact.
    expect(Math.min(...deep)).toBeGreaterThan(contact.x - 0.2);
    expect(Math.max(...deep)).toBeGreaterThan(contact.x + 1.7);
    expect(Math.max(...deep)).toBeLessThan(contact.x + 2.2);
    expect(deep.length).toBeGreaterThan(without.length + 6);
    expect(() => new OccupancyMapper({ obstacleDepth: -1 })).toThrow(/obstacleDepth/);
  });

  it('decays cells that are no longer observed toward unknown', () => {
    const mapper = new OccupancyMapper({ decayHalfLifeS: 1 });
    const seg = handMadeSegmentation();
    mapper.update(seg, calib, origin);
    const contact = cam.pixelToGround(100, rowAtRange(10) + 0.5, 0)!;
    const before = mapper.grid.valueAt(contact.x, 0);
    expect(before).toBeGreaterThan(0);
    // The next frame sees only sky: nothing observed, one second later.
    const blind: Segmentation = { ...seg, timeNs: seg.timeNs + 1_000_000_000n, classes: new Uint8Array(seg.classes.length).fill(SKY) };
    mapper.update(blind, calib, origin);
    expect(mapper.grid.valueAt(contact.x, 0)).toBeCloseTo(before / 2, 5);
  });

  it('lets a cell left unobserved for long become exactly unknown (no denormal tail)', () => {
    const mapper = new OccupancyMapper({ decayHalfLifeS: 1 });
    const seg = handMadeSegmentation();
    mapper.update(seg, calib, origin);
    const contact = cam.pixelToGround(100, rowAtRange(10) + 0.5, 0)!;
    const blind = (s: number): Segmentation => ({ ...seg, timeNs: seg.timeNs + BigInt(s) * 1_000_000_000n, classes: new Uint8Array(seg.classes.length).fill(SKY) });
    for (let s = 1; s <= 9; s++) mapper.update(blind(s), calib, origin);
    expect(mapper.grid.valueAt(contact.x, 0)).toBeGreaterThan(0); // 2^-9 of a hit: still there
    for (let s = 10; s <= 20; s++) mapper.update(blind(s), calib, origin);
    expect(mapper.grid.valueAt(contact.x, 0)).toBe(0); // below 0.001 after 10 s: forgotten
    expect(mapper.grid.logOdds.every((v) => v === 0 || Math.abs(v) >= 1e-3)).toBe(true);
  });

  it('keeps a static obstacle in place in the world frame while the ego vehicle moves and turns', () => {
    const box = { minX: 30, maxX: 32, minY: -1, maxY: 1 };
    const mapper = new OccupancyMapper({ recenterDistance: 0.5 });
    const origins = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const ego = { x: 1.2 * i, y: 0.1 * i, yaw: 0.02 * Math.sin(i) };
      const seg = renderSegmentation(calib, ego, [box], BigInt(i) * 100_000_000n);
      mapper.update(seg, calib, ego);
      origins.add(`${mapper.grid.originCellX},${mapper.grid.originCellY}`);
    }
    expect(origins.size).toBeGreaterThan(5); // the grid really scrolled
    const g = mapper.grid;
    // The box's near face (x = 30, |y| <= 1) is occupied with high confidence...
    for (const y of [-0.8, -0.3, 0.3, 0.8]) expect(g.valueAt(30.1, y), `face at y=${y}`).toBeGreaterThan(1.5);
    // ...and every occupied cell lies in the box's footprint, within one cell or so: a far
    // contact is known only to within the interval between two pixel centres (metres at 30 m),
    // which reaches into the box, never in front of its face or beside it.
    const l = g.logOdds;
    let occupied = 0;
    for (let i = 0; i < l.length; i++) {
      if (l[i] <= 0.5) continue;
      occupied++;
      const x = (g.originCellX + (i % g.width) + 0.5) * g.resolution;
      const y = (g.originCellY + Math.floor(i / g.width) + 0.5) * g.resolution;
      expect(x).toBeGreaterThan(29.7);
      expect(x).toBeLessThan(32.3);
      expect(Math.abs(y)).toBeLessThan(1.3);
    }
    expect(occupied).toBeGreaterThanOrEqual(8);
    // The road in front of it is free; inside it never free; behind it unknown.
    expect(g.valueAt(28, 0)).toBeLessThan(-1);
    expect(g.valueAt(31.5, 0)).toBeGreaterThanOrEqual(0);
    expect(g.valueAt(33.5, 0)).toBe(0);
  });
});

describe('level road under a rolled and pitched vehicle', () => {
  it('places obstacles where they are when the vehicle leans (camber, braking)', () => {
    const attitude = { roll: 0.04, pitch: 0.02 }; // 2.3 and 1.1 degrees
    const box = { minX: 14, maxX: 16, minY: 4, maxY: 7 };
    const seg = renderSegmentation(calib, origin, [box], 0n, attitude);
    // Occupied cells near the box's near face (x = 14, y 4..7), by mapper.
    const faceError = (m: OccupancyMapper): number => {
      const g = m.grid;
      let sum = 0;
      let n = 0;
      for (let i = 0; i < g.logOdds.length; i++) {
        if (g.logOdds[i] <= 0) continue;
        const x = (g.originCellX + (i % g.width) + 0.5) * g.resolution;
        const y = (g.originCellY + Math.floor(i / g.width) + 0.5) * g.resolution;
        if (y < 4.2 || y > 6.8) continue;
        sum += x - 14;
        n++;
      }
      expect(n).toBeGreaterThan(5);
      return sum / n;
    };
    const level = new OccupancyMapper({ egoFootprint: null });
    level.update(seg, calib, origin, 0, attitude);
    const flat = new OccupancyMapper({ egoFootprint: null, levelGround: false });
    flat.update(seg, calib, origin, 0, attitude);
    expect(Math.abs(faceError(level))).toBeLessThan(0.25);
    // Taking the road as the vehicle's own plane puts the face about a metre off.
    expect(Math.abs(faceError(flat))).toBeGreaterThan(0.6);
  });
});

describe('scrolling log-odds grid', () => {
  it('keeps cells in the same world place when it shifts, and clears the newly exposed cells', () => {
    const g = new LogOddsGrid({ width: 50, height: 40, resolution: 0.5, recenterDistance: 1, lookAhead: 0 });
    g.follow({ x: 0, y: 0, yaw: 0 });
    const points = [
      { x: 3.2, y: -4.1, v: 1.5 },
      { x: -10, y: 8.9, v: -0.7 },
      { x: 11.9, y: 5.6, v: 2.5 },
    ];
    for (const p of points) g.logOdds[g.cellIndex(p.x, p.y)] = p.v;
    g.follow({ x: 0.6, y: 0.4, yaw: 0 }); // within the dead band: no shift
    expect(g.originCellX).toBe(-25);
    g.follow({ x: 7.3, y: -3.2, yaw: 1 });
    expect(g.originCellX).toBe(Math.floor(7.3 / 0.5) - 25);
    expect(g.originCellY).toBe(Math.floor(-3.2 / 0.5) - 20);
    expect(g.valueAt(3.2, -4.1)).toBe(1.5);
    expect(g.valueAt(11.9, 5.6)).toBe(2.5);
    // (-10, 8.9) has left the grid (its new x range starts at -5.5)...
    expect(g.cellIndex(-10, 8.9)).toBe(-1);
    // ...and coming back, the cell is unknown, not stale.
    g.follow({ x: 0, y: 0, yaw: 0 });
    expect(g.valueAt(-10, 8.9)).toBe(0);
    expect(g.valueAt(3.2, -4.1)).toBe(1.5);
    let nonZero = 0;
    for (const v of g.logOdds) if (v !== 0) nonZero++;
    expect(nonZero).toBe(2);
  });

  it('adds half a hit for a possible obstacle, never past one hit, while hits add up', () => {
    const g = new LogOddsGrid({ width: 4, height: 1, decayHalfLifeS: Infinity });
    for (let frame = 0; frame < 5; frame++) {
      g.marks[0] = MARK_MAYBE_OCCUPIED; // the same uncertain placement, frame after frame
      g.marks[1] = MARK_OCCUPIED;
      g.integrate(BigInt(frame) * 100_000_000n);
      if (frame === 0) expect(g.logOdds[0]).toBeCloseTo(0.425, 6);
    }
    expect(g.logOdds[0]).toBeCloseTo(0.85, 6); // capped at one hit
    expect(g.logOdds[1]).toBeCloseTo(3.5, 6); // five hits, clamped at max
    g.marks[1] = MARK_MAYBE_OCCUPIED; // already above one hit: left as it is
    g.integrate(600_000_000n);
    expect(g.logOdds[1]).toBeCloseTo(3.5, 6);
  });

  it('applies marks in every cell of a grid whose size is not a multiple of four, and clears them', () => {
    const g = new LogOddsGrid({ width: 3, height: 3, decayHalfLifeS: 1 });
    g.marks[1] = MARK_OCCUPIED;
    g.marks[8] = MARK_OCCUPIED; // the last cell, past the last whole word of four marks
    g.integrate(0n);
    expect([...g.logOdds].map((v) => +v.toFixed(4))).toEqual([0, 0.85, 0, 0, 0, 0, 0, 0, 0.85]);
    expect([...g.marks].every((m) => m === 0)).toBe(true);
    g.marks[7] = MARK_OCCUPIED;
    g.integrate(1_000_000_000n); // one half-life later: unmarked cells halve
    expect([...g.logOdds].map((v) => +v.toFixed(4))).toEqual([0, 0.425, 0, 0, 0, 0, 0, 0.85, 0.425]);
  });

  it('snapshots are independent copies in the shared grid message form', () => {
    const g = new LogOddsGrid();
    g.follow({ x: 100.05, y: -20.3, yaw: 0 });
    const snap = g.snapshot(5n);
    expect(snap.width).toBe(400);
    expect(snap.height).toBe(400);
    expect(snap.resolution).toBe(0.2);
    // Centred 10 m ahead of the ego (heading +x), on whole cells.
    expect(snap.origin.x).toBeCloseTo(110 - 40, 6);
    expect(snap.origin.y).toBeCloseTo(-20.4 - 40, 6);
    g.logOdds[0] = 3;
    expect(snap.logOdds[0]).toBe(0);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KinematicBicycle, Prng, addCar, routeOracle, runScenario, summariseScenarios } from '../../datasets/synthetic/index.js';
import { runClosedLoop, SIM_STATE_TOPIC, SIM_RESULT_TOPIC } from '../../engine/closed-loop/run-closed-loop.js';
import { DriveReader } from '../../datasets/drive-log/index.js';
import { topics } from '../../types/topics.js';

const dir = mkdtempSync(join(tmpdir(), 'grokdrive-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('closed loop', () => {
  it('moves the kinematic bicycle straight and around circles of radius L / tan(steer)', () => {
    const straight = new KinematicBicycle({ x: 0, y: 0, yaw: 0 }, 5);
    for (let k = 0; k < 10; k++) straight.step(0, 0, 0.1);
    expect(straight.state.x).toBeCloseTo(5, 6);
    expect(straight.state.y).toBeCloseTo(0, 9);
    const turning = new KinematicBicycle({ x: 0, y: 0, yaw: 0 }, 3);
    turning.state.steer = 0.3;
    const radius = turning.params.wheelbase / Math.tan(0.3);
    for (let k = 0; k < 200; k++) {
      turning.step(0, 0.3, 0.05);
      // Centre of the circle is at (0, radius).
      expect(Math.hypot(turning.state.x, turning.state.y - radius)).toBeCloseTo(radius, 2);
    }
    const braking = new KinematicBicycle({ x: 0, y: 0, yaw: 0 }, 4);
    for (let k = 0; k < 30; k++) braking.step(-100, 0, 0.1);
    expect(braking.state.v).toBe(0); // limited braking, never reverses
    expect(braking.state.x).toBeCloseTo((4 * 4) / (2 * braking.params.maxBrake), 1);
  });

  it('completes routes without contact when the driver knows the route', async () => {
    const results = [];
    for (const seed of [3, 8]) results.push(await runScenario({ seed, seconds: 12, width: 96, height: 72 }, (w) => routeOracle(w)));
    const s = summariseScenarios(results);
    expect(s.completed).toBe(2);
    expect(s.routeCompletion).toBe(1);
    expect(s.collisions).toBe(0);
    expect(s.drivingScore).toBe(1);
    expect(s.minClearance).toBeGreaterThan(0.3);
    expect(s.peakJerk).toBeLessThan(10);
    expect(results.every((r) => r.offRoadEvents === 0)).toBe(true);
  });

  it('detects and scores a collision with a car standing in the lane', async () => {
    const r = await runScenario({ seed: 3, seconds: 12, width: 96, height: 72 }, (world) => {
      // A car stopped in the ego's lane 30 m ahead; the blind route driver runs into it.
      const s = world.egoArcLength(0) + 30;
      const p = world.route.poseAtS(s);
      addCar(world.actors.prisms, new Prng(1), p.x, p.y, p.yaw);
      return routeOracle(world);
    });
    expect(r.outcome).toBe('collision');
    expect(r.collisions[0].kind).toBe('vehicle');
    expect(r.collisions[0].actor).toBe(true); // added to the traffic, standing still
    expect(r.collisions[0].egoAtFault).toBe(true);
    expect(r.infractionPenalty).toBe(0.6);
    expect(r.routeCompletion).toBeGreaterThan(0.05);
    expect(r.routeCompletion).toBeLessThan(0.6);
    expect(r.drivingScore).toBeCloseTo(r.routeCompletion * 0.6, 9);
  });

  it('completes a route driven by the engine (perception, occupancy, plans), and logs the run', async () => {
    const logPath = join(dir, 'engine.mcap');
    const report = await runClosedLoop({ seeds: [1], seconds: 5, width: 240, height: 180, logPath: () => logPath });
    const r = report.scenarios[0];
    expect(r.steps).toBeGreaterThan(20);
    expect(r.outcome).toBe('completed');
    expect(r.collisions).toEqual([]);
    expect(r.minClearance).toBeGreaterThan(0.3);
    expect(r.planFailures).toBeLessThan(r.steps / 4);
    const reader = await DriveReader.open(logPath);
    try {
      const counts = Object.fromEntries(reader.summary().topics.map((t) => [t.topic, t.messageCount]));
      expect(counts[topics.cameraImage('front')]).toBe(r.steps);
      expect(counts[topics.occupancy]).toBe(r.steps);
      expect(counts[topics.segmentation('front')]).toBe(r.steps);
      expect(counts[SIM_STATE_TOPIC]).toBe(r.steps);
      expect(counts[SIM_RESULT_TOPIC]).toBe(1);
      expect(counts[topics.plan]).toBeGreaterThan(0);
    } finally {
      await reader.close();
    }
  });
});

/**
 * Embedding grokdrive in another program: your frame source in, FrameResults out.
 *
 *   npm run build && node dist/examples/embed.js [kitti_raw_drive_dir] [--realtime]
 *
 * The frame source here is a KITTI raw drive folder played as a live camera at its own
 * pace (10 Hz); any Observable<SensorFrame> works the same way. Goals come in as an
 * Observable<Pose2> too: this program sets one 25 m ahead of the car's first pose and moves
 * it along as the car drives.
 */
import { Observable, Subject, concatMap, from, map, of, delay, filter } from 'rxjs';
import { createEngine, dataPath, defaultPlanner, openKittiRaw, pose2FromPose3, type Pose2, type SensorFrame } from '../index.js';

const args = process.argv.slice(2);
const driveDir = args.find((a) => !a.startsWith('--')) ?? dataPath('kitti-raw', '2011_09_26_drive_0001_sync');
const realtime = args.includes('--realtime');

// 1. A frame source: camera frames with calibration and ego pose, pushed at 10 Hz.
const source = await openKittiRaw(driveDir, { cameras: ['image_02'], lidar: false });
const frames$: Observable<SensorFrame> = from(source.items()).pipe(
  filter((item) => item.kind === 'frame'),
  map((item) => (item as { kind: 'frame'; frame: SensorFrame }).frame),
  concatMap((frame) => of(frame).pipe(delay(100))),
);

// 2. Goals: 25 m ahead along the car's heading, updated every second.
const goals$ = new Subject<Pose2>();
const goalAhead = (ego: Pose2): Pose2 => ({ x: ego.x + 25 * Math.cos(ego.yaw), y: ego.y + 25 * Math.sin(ego.yaw), yaw: ego.yaw });

// 3. The engine: the committed segmentation model; realtime mode drops frames it cannot keep up with.
const engine = await createEngine({
  mode: realtime ? 'realtime' : 'replay',
  planning: { planner: defaultPlanner(), goals$ },
});

let lastGoalAt = -Infinity;
const counts = { processed: 0, dropped: 0, failed: 0 };
engine.run(frames$).subscribe({
  next(r) {
    counts[r.status]++;
    const ego = r.frame?.egoPose ? pose2FromPose3(r.frame.egoPose) : undefined;
    if (ego && r.index - lastGoalAt >= 10) {
      goals$.next(goalAhead(ego));
      lastGoalAt = r.index;
    }
    if (r.status !== 'processed') {
      console.log(`frame ${r.index}: ${r.status} (${r.reason})`);
      return;
    }
    let free = 0;
    let occupied = 0;
    for (const v of r.grid!.logOdds) {
      if (v < -0.2) free++;
      else if (v > 0.4) occupied++;
    }
    const plan = r.plan ? `plan ${r.plan.status}, ${r.plan.poses.length} poses` : 'no plan';
    console.log(
      `frame ${String(r.index).padStart(3)}: ${(free * 0.04).toFixed(0).padStart(5)} m² free, ${String(occupied).padStart(4)} occupied cells, ${plan}, ${r.timings.total.toFixed(0)} ms`,
    );
  },
  error(err) {
    console.error(err);
    process.exitCode = 1;
  },
  async complete() {
    console.log(`done: ${counts.processed} processed, ${counts.dropped} dropped, ${counts.failed} failed`);
    goals$.complete();
    await engine.dispose();
  },
});

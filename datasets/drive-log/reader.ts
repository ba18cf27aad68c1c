/**
 * DriveReader: reads a drive log written by DriveWriter (or any MCAP with Foxglove protobuf /
 * JSON messages). Opening uses the summary and indexes, so nothing is scanned; a file without
 * a footer (a killed writer) is read as far as it is complete.
 */
import { Observable, from } from 'rxjs';
import type { McapTypes } from '@mcap/core';
import type { CameraCalibration, Pose3, SensorFrame } from '../../types/index.js';
import { frames as frameIds, topics } from '../../types/topics.js';
import { openMcap, type McapSource } from '../mcap/mcap-source.js';
import { MessageDecoder } from '../mcap/message-decoder.js';
import {
  calibrationFromFoxglove,
  compressedImageFromFoxglove,
  transformFromFoxglove,
  type FoxgloveObject,
  type StampedTransform,
} from './foxglove-convert.js';

export interface TopicSummary {
  topic: string;
  schemaName: string;
  messageEncoding: string;
  messageCount: number;
}

export interface DriveSummary {
  path: string;
  /** First and last log time; both 0n for a log without messages. */
  startNs: bigint;
  endNs: bigint;
  topics: TopicSummary[];
  /** False when the file has no usable footer/summary and was read as a prefix. */
  complete: boolean;
  incompleteBecause?: string;
}

export interface DriveMessage<T = unknown> {
  topic: string;
  logTimeNs: bigint;
  schemaName: string;
  /** MCAP sequence number (frame index for camera topics). */
  sequence: number;
  /**
   * Decoded: protobuf -> plain object (bigint timestamps), JSON -> value, other -> bytes.
   * Byte fields are views into a cached chunk: read them, copy before modifying.
   */
  message: T;
}

export interface MessageQuery {
  topics?: readonly string[];
  /** Inclusive log-time bounds. */
  startNs?: bigint;
  endNs?: bigint;
}

export interface FrameQuery {
  /** Only these cameras (default: every camera in the log). */
  cameraIds?: readonly string[];
  startNs?: bigint;
  endNs?: bigint;
  /**
   * Messages of other topics read in the same pass (each chunk is read once for both): they go
   * to `onMessage` as the pass meets them, in log-time order, each before any frame taken after
   * it or at the same time is yielded.
   */
  passing?: { topics: readonly string[]; onMessage: (m: DriveMessage) => void };
  /**
   * A camera whose images are the rectified right half of a stereo pair: each of its images
   * is attached to the other cameras' frames taken at the same time (SensorFrame.stereo)
   * instead of being yielded as a frame of its own.
   */
  stereoRight?: string;
}

const IMAGE_TOPIC = /^\/camera\/(.+)\/image$/;

export class DriveReader {
  readonly #decoder: MessageDecoder;
  readonly #staticTransforms: StampedTransform[];

  private constructor(private readonly src: McapSource, staticTransforms: StampedTransform[]) {
    this.#decoder = new MessageDecoder(src.path);
    this.#staticTransforms = staticTransforms;
  }

  get path(): string {
    return this.src.path;
  }

  static async open(path: string): Promise<DriveReader> {
    const src = await openMcap(path);
    try {
      const reader = new DriveReader(src, []);
      // Mounts are few and needed for every frame, wherever reading starts: load them once.
      for await (const m of reader.messages({ topics: [topics.staticTransforms] })) {
        reader.#staticTransforms.push(transformFromFoxglove(m.message as FoxgloveObject));
      }
      return reader;
    } catch (err) {
      await src.close();
      throw err;
    }
  }

  summary(): DriveSummary {
    const list: TopicSummary[] = [];
    for (const ch of this.src.channelsById.values()) {
      list.push({
        topic: ch.topic,
        schemaName: this.src.schemasById.get(ch.schemaId)?.name ?? '',
        messageEncoding: ch.messageEncoding,
        messageCount: this.src.messageCount(ch.id),
      });
    }
    list.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
    return {
      path: this.src.path,
      startNs: this.src.startNs ?? 0n,
      endNs: this.src.endNs ?? 0n,
      topics: list,
      complete: this.src.mode === 'indexed',
      incompleteBecause: this.src.incompleteBecause,
    };
  }

  /** Camera ids that have an image topic, sorted. */
  cameraIds(): string[] {
    const ids: string[] = [];
    for (const ch of this.src.channelsById.values()) {
      const m = IMAGE_TOPIC.exec(ch.topic);
      if (m) ids.push(m[1]);
    }
    return ids.sort();
  }

  /** Static transforms (camera and lidar mounts) in log order. */
  staticTransforms(): readonly StampedTransform[] {
    return this.#staticTransforms;
  }

  #decode(m: McapTypes.Message): DriveMessage {
    const channel = this.src.channelsById.get(m.channelId);
    if (!channel) throw new Error(`${this.src.path}: message at ${m.logTime} ns on unknown channel ${m.channelId}`);
    const schema = this.src.schemasById.get(channel.schemaId);
    let message: unknown;
    try {
      message = this.#decoder.decoderFor(schema, channel)(m.data);
    } catch (err) {
      throw new Error(`${this.src.path}: cannot decode ${channel.topic} at ${m.logTime} ns: ${(err as Error).message}`);
    }
    return { topic: channel.topic, logTimeNs: m.logTime, schemaName: schema?.name ?? '', sequence: m.sequence, message };
  }

  /** Messages in log-time order, decoded. Seek by giving startNs. */
  async *messages(query: MessageQuery = {}): AsyncGenerator<DriveMessage> {
    for await (const m of this.src.readMessages(query)) yield this.#decode(m);
  }

  /** The last message on `topic` at or before `timeNs`. */
  async messageAt(topic: string, timeNs: bigint): Promise<DriveMessage | undefined> {
    const m = await this.src.latestAtOrBefore(topic, timeNs);
    return m ? this.#decode(m) : undefined;
  }

  /** Mount of `child` in base_link valid at `timeNs` (the latest written before it, else the first). */
  mountAt(child: string, timeNs: bigint): Pose3 | undefined {
    let found: StampedTransform | undefined;
    for (const t of this.#staticTransforms) {
      if (t.parent !== frameIds.vehicle || t.child !== child) continue;
      if (!found || t.timeNs <= timeNs) found = t;
    }
    return found?.pose;
  }

  /**
   * Camera frames in time order with calibration and ego pose (the pose written at the same
   * time; frames of a log without poses have none).
   */
  async *frames(query: FrameQuery = {}): AsyncGenerator<SensorFrame> {
    const right = query.stereoRight;
    const cameras = [...(query.cameraIds ?? this.cameraIds()).filter((id) => id !== right), ...(right ? [right] : [])];
    const known = new Set(this.cameraIds());
    for (const id of cameras) if (!known.has(id)) throw new Error(`${this.src.path}: no camera '${id}' (cameras: ${[...known].join(', ') || 'none'})`);
    const passing = new Set(query.passing?.topics ?? []);
    const wanted = [topics.egoPose, ...cameras.flatMap((id) => [topics.cameraImage(id), topics.cameraCalibration(id)]), ...passing];

    const calibrations = new Map<string, FoxgloveObject>();
    let group: DriveMessage[] = [];
    const emit = (batch: DriveMessage[]): SensorFrame[] => {
      let ego: Pose3 | undefined;
      for (const m of batch) {
        if (m.topic === topics.egoPose) ego = transformFromFoxglove(m.message as FoxgloveObject).pose;
        else if (!IMAGE_TOPIC.test(m.topic)) calibrations.set(m.topic, m.message as FoxgloveObject);
      }
      const out: SensorFrame[] = [];
      let rightFrame: SensorFrame | undefined;
      for (const m of batch) {
        const match = IMAGE_TOPIC.exec(m.topic);
        if (!match) continue;
        const frame = this.#frame(match[1], m, calibrations.get(topics.cameraCalibration(match[1])), ego);
        if (match[1] === right) rightFrame = frame;
        else out.push(frame);
      }
      if (rightFrame) for (const f of out) f.stereo = { image: rightFrame.image, calibration: rightFrame.calibration, source: rightFrame.source };
      return out;
    };
    for await (const m of this.messages({ topics: wanted, startNs: query.startNs, endNs: query.endNs })) {
      if (passing.has(m.topic)) {
        query.passing!.onMessage(m);
        continue;
      }
      if (group.length > 0 && m.logTimeNs !== group[0].logTimeNs) {
        yield* emit(group);
        group = [];
      }
      group.push(m);
    }
    if (group.length > 0) yield* emit(group);
  }

  #frame(cameraId: string, m: DriveMessage, calibMsg: FoxgloveObject | undefined, ego: Pose3 | undefined): SensorFrame {
    const where = `${this.src.path} ${m.topic}@${m.logTimeNs}`;
    if (!calibMsg) throw new Error(`${where}: no camera calibration on ${topics.cameraCalibration(cameraId)} at or before this image`);
    const mount = this.mountAt(cameraId, m.logTimeNs);
    if (!mount) throw new Error(`${where}: no ${topics.staticTransforms} transform ${frameIds.vehicle} -> ${cameraId} (camera mount)`);
    const calibration: CameraCalibration = calibrationFromFoxglove(calibMsg, mount, where);
    const frame: SensorFrame = {
      timeNs: m.logTimeNs,
      index: m.sequence,
      cameraId,
      image: compressedImageFromFoxglove(m.message as FoxgloveObject, where),
      calibration,
      source: where,
    };
    if (ego) frame.egoPose = ego;
    const road = this.mountAt(frameIds.road, m.logTimeNs);
    if (road) frame.groundZ = road.position.z;
    return frame;
  }

  /** The first frame frames(query) would give (reading stops there); undefined when there is none. */
  async firstFrame(query: FrameQuery = {}): Promise<SensorFrame | undefined> {
    for await (const f of this.frames(query)) return f;
    return undefined;
  }

  /** frames() as an rxjs Observable (unsubscribing stops reading). */
  frames$(query: FrameQuery = {}): Observable<SensorFrame> {
    return from(this.frames(query));
  }

  /** messages() as an rxjs Observable. */
  messages$(query: MessageQuery = {}): Observable<DriveMessage> {
    return from(this.messages(query));
  }

  async close(): Promise<void> {
    await this.src.close();
  }
}

/** The page's view of the viewer server's HTTP API (viz/server/log-api.ts). */
import { decodeBundle } from './bundle.js';

export interface TopicInfo {
  topic: string;
  schemaName: string;
  messageCount: number;
}

export interface LogSummary {
  file: string;
  startNs: bigint;
  endNs: bigint;
  topics: TopicInfo[];
}

export interface LogMessage<T = Record<string, unknown>> {
  topic: string;
  logTimeNs: bigint;
  schemaName: string;
  message: T;
}

/** A message the server did not resend because the page said it already holds it. */
export interface UnchangedMessage {
  topic: string;
  logTimeNs: bigint;
  unchanged: true;
}

export type AtResult = Record<string, LogMessage | UnchangedMessage | null>;

async function get(path: string): Promise<Response> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

export async function fetchSummary(): Promise<LogSummary> {
  const s = await (await get('api/summary')).json();
  return { ...s, startNs: BigInt(s.startNs), endNs: BigInt(s.endNs) };
}

/** All messages of the topics in [startNs, endNs] (whole log when omitted), in time order. */
export async function fetchMessages(topics: string[], startNs?: bigint, endNs?: bigint): Promise<LogMessage[]> {
  const q = new URLSearchParams({ topics: topics.join(',') });
  if (startNs !== undefined) q.set('start', startNs.toString());
  if (endNs !== undefined) q.set('end', endNs.toString());
  const body = decodeBundle<{ messages: LogMessage[] }>(await (await get(`api/messages?${q}`)).arrayBuffer());
  return body.messages;
}

/**
 * For each topic, its latest message at or before `timeNs`. `known` maps topics to the log time
 * of a message the page already holds; if that is still the answer it comes back as unchanged.
 */
export async function fetchAt(timeNs: bigint, topics: string[], known: Map<string, bigint> = new Map()): Promise<AtResult> {
  const q = new URLSearchParams({ t: timeNs.toString(), topics: topics.join(',') });
  if (known.size) q.set('known', [...known].map(([topic, t]) => `${topic}@${t}`).join(','));
  const body = decodeBundle<{ messages: AtResult }>(await (await get(`api/at?${q}`)).arrayBuffer());
  return body.messages;
}

/** Turns MCAP message bytes into values: protobuf -> plain object, JSON -> parsed value. */
import type { McapTypes } from '@mcap/core';
import { protobufFromBinaryDescriptor } from '@mcap/support';
import type protobuf from 'protobufjs';
import { decodeProtobuf } from './protobuf-codec.js';

export type Decode = (data: Uint8Array) => unknown;

export class MessageDecoder {
  #bySchema = new Map<number, Decode>();

  constructor(private readonly where: string) {}

  decoderFor(schema: McapTypes.Schema | undefined, channel: McapTypes.Channel): Decode {
    const key = schema?.id ?? -1;
    let decode = this.#bySchema.get(key);
    if (!decode) {
      decode = this.#build(schema, channel);
      this.#bySchema.set(key, decode);
    }
    return decode;
  }

  #build(schema: McapTypes.Schema | undefined, channel: McapTypes.Channel): Decode {
    const enc = channel.messageEncoding;
    if (enc === 'json') {
      const text = new TextDecoder();
      return (data) => JSON.parse(text.decode(data));
    }
    if (enc === 'protobuf') {
      if (!schema || schema.encoding !== 'protobuf') {
        throw new Error(`${this.where}: topic ${channel.topic} is protobuf but has no protobuf schema`);
      }
      let type: protobuf.Type;
      try {
        type = protobufFromBinaryDescriptor(schema.data).lookupType(schema.name);
      } catch (err) {
        throw new Error(`${this.where}: schema ${schema.name} of ${channel.topic} is unusable: ${(err as Error).message}`);
      }
      return (data) => decodeProtobuf(type, data);
    }
    // Anything else is handed over as bytes.
    return (data) => data;
  }
}

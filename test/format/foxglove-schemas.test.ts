/** The protobuf schemas built from @foxglove/schemas: valid descriptor sets, faithful round trips. */
import { describe, expect, it } from 'vitest';
import { protobufFromBinaryDescriptor } from '@mcap/support';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { foxgloveProtobufSchema, foxgloveSchemaNames } from '../../datasets/mcap/foxglove-schemas.js';
import { decodeProtobuf, encodeProtobuf } from '../../datasets/mcap/protobuf-codec.js';

describe('Foxglove protobuf schemas', () => {
  it('builds a self-contained FileDescriptorSet for every Foxglove message', () => {
    const names = foxgloveSchemaNames();
    expect(names).toContain('foxglove.CompressedImage');
    for (const name of names) {
      if (name === 'foxglove.Timestamp' || name === 'foxglove.Duration') continue; // google.protobuf equivalents
      const schema = foxgloveProtobufSchema(name);
      const set = descriptor.FileDescriptorSet.decode(schema.descriptorSet);
      const files = set.file.map((f) => f.name);
      // Every import is present in the set, before the file that needs it.
      set.file.forEach((f, i) => {
        for (const dep of f.dependency ?? []) expect(files.indexOf(dep)).toBeLessThan(i);
      });
      // The way Foxglove's own readers load it.
      const type = protobufFromBinaryDescriptor(schema.descriptorSet).lookupType(name);
      expect(type.fullName).toBe('.' + name);
    }
  });

  it('keeps snake_case field names and the published field numbers', () => {
    const t = foxgloveProtobufSchema('foxglove.CompressedImage').type;
    expect(Object.fromEntries(t.fieldsArray.map((f) => [f.name, f.id]))).toEqual({ timestamp: 1, frame_id: 4, data: 2, format: 3 });
  });

  it('round-trips a nested message with enums, durations and bytes', () => {
    const type = foxgloveProtobufSchema('foxglove.SceneUpdate').type;
    const msg = {
      deletions: [{ timestamp: 5n, type: 1, id: 'old' }],
      entities: [
        {
          timestamp: 1_317_042_145_961_661_696n,
          frame_id: 'world',
          id: 'plan',
          lifetime: 2_500_000_000n,
          frame_locked: false,
          metadata: [{ key: 'planner', value: 'hybrid-a*' }],
          lines: [
            {
              type: 0,
              pose: { position: { x: 1, y: 2, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
              thickness: 0.1,
              scale_invariant: false,
              points: [{ x: 0, y: 0, z: 0 }, { x: 3.5, y: -1, z: 0 }],
              color: { r: 0, g: 1, b: 0, a: 1 },
              colors: [],
              indices: [],
            },
          ],
        },
      ],
    };
    const back = decodeProtobuf(type, encodeProtobuf(type, msg)) as any;
    expect(back.deletions[0]).toEqual({ timestamp: 5n, type: 1, id: 'old' });
    const e = back.entities[0];
    expect(e.timestamp).toBe(1_317_042_145_961_661_696n);
    expect(e.lifetime).toBe(2_500_000_000n);
    expect(e.metadata).toEqual([{ key: 'planner', value: 'hybrid-a*' }]);
    expect(e.lines[0].points).toEqual([{ x: 0, y: 0, z: 0 }, { x: 3.5, y: -1, z: 0 }]);
    expect(e.lines[0].thickness).toBeCloseTo(0.1, 12);

    const img = foxgloveProtobufSchema('foxglove.RawImage').type;
    const data = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    const raw = decodeProtobuf(img, encodeProtobuf(img, { timestamp: 7n, frame_id: 'cam', width: 2, height: 2, encoding: 'rgb8', step: 6, data })) as any;
    expect(new Uint8Array(raw.data)).toEqual(data);
    expect(raw.timestamp).toBe(7n);
  });

  it('appends large bytes fields raw, and the result decodes as protobufjs encodes it', () => {
    const img = foxgloveProtobufSchema('foxglove.CompressedImage').type;
    // 300 bytes of length: a two-byte varint; 70 000: three.
    for (const length of [300, 70_000]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 7) & 255);
      const msg = { timestamp: 9n, frame_id: 'cam', data, format: 'png' };
      const bytes = encodeProtobuf(img, msg);
      const back = decodeProtobuf(img, bytes) as any;
      expect(new Uint8Array(back.data)).toEqual(data);
      expect(back).toMatchObject({ timestamp: 9n, frame_id: 'cam', format: 'png' });
      // Same fields, same size as protobufjs' own encoding; only the order may differ.
      const reference = img.encode(img.fromObject({ timestamp: { seconds: 0, nanos: 9 }, frame_id: 'cam', data, format: 'png' })).finish();
      expect(bytes.byteLength).toBe(reference.byteLength);
      const ref = decodeProtobuf(img, reference) as any;
      expect({ ...back, data: [...back.data] }).toEqual({ ...ref, data: [...ref.data] });
    }
  });

  it('accepts {sec, nsec} times and rejects unknown fields and wrong types by name', () => {
    const t = foxgloveProtobufSchema('foxglove.FrameTransform').type;
    const back = decodeProtobuf(t, encodeProtobuf(t, { timestamp: { sec: 3, nsec: 4 }, parent_frame_id: 'world' })) as any;
    expect(back.timestamp).toBe(3_000_000_004n);
    expect(() => encodeProtobuf(t, { parent: 'x' })).toThrow(/foxglove\.FrameTransform has no field 'parent'/);
    expect(() => encodeProtobuf(t, { timestamp: 'soon' })).toThrow(/foxglove\.FrameTransform\.timestamp: expected a bigint/);
    expect(() => encodeProtobuf(t, { parent_frame_id: 12 })).toThrow(/parent_frame_id/);
  });
});

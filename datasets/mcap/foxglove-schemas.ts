/**
 * Foxglove message schemas in protobuf encoding, built at run time from the definitions that
 * ship with @foxglove/schemas (no generated .proto files are kept in the repository).
 *
 * For a schema such as `foxglove.Grid` this yields the serialized FileDescriptorSet MCAP wants
 * in its Schema record (the message, its nested foxglove messages, and google.protobuf
 * Timestamp/Duration), and a protobufjs Type for encoding.
 */
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
// The two modules needed, not the package's whole `internal` index, which also loads the
// generators for TypeScript, JSON Schema and ROS (44 against 7 ms, in every thread that writes).
import { foxgloveMessageSchemas, foxgloveEnumSchemas } from '@foxglove/schemas/dist/internal/schemas.js';
import { generateProto } from '@foxglove/schemas/dist/internal/generateProto.js';
import type { FoxgloveMessageSchema } from '@foxglove/schemas/internal.js';

export interface FoxgloveProtobufSchema {
  /** Fully qualified name, e.g. `foxglove.Grid`. */
  name: string;
  /** Serialized google.protobuf.FileDescriptorSet. */
  descriptorSet: Uint8Array;
  /** Root holding the message type and everything it references. */
  root: protobuf.Root;
  type: protobuf.Type;
}

const cache = new Map<string, FoxgloveProtobufSchema>();

/** The short names (`Grid`, `CompressedImage` ...) that Foxglove defines. */
export function foxgloveSchemaNames(): string[] {
  return Object.keys(foxgloveMessageSchemas).map((n) => `foxglove.${n}`);
}

function lookupFoxglove(fullName: string): FoxgloveMessageSchema {
  const short = fullName.startsWith('foxglove.') ? fullName.slice('foxglove.'.length) : fullName;
  const schema = (foxgloveMessageSchemas as Record<string, FoxgloveMessageSchema>)[short];
  if (!schema) {
    throw new Error(
      `unknown Foxglove schema '${fullName}'; known: ${foxgloveSchemaNames().join(', ')}`,
    );
  }
  return schema;
}

/** The schema and every foxglove message it references, dependencies first. */
function collectDependencies(schema: FoxgloveMessageSchema, out: FoxgloveMessageSchema[], seen: Set<string>): void {
  if (seen.has(schema.name)) return;
  seen.add(schema.name);
  for (const field of schema.fields) {
    if (field.type.type === 'nested') collectDependencies(field.type.schema, out, seen);
  }
  out.push(schema);
}

function buildSchema(fullName: string): FoxgloveProtobufSchema {
  const top = lookupFoxglove(fullName);
  const schemas: FoxgloveMessageSchema[] = [];
  collectDependencies(top, schemas, new Set());

  const root = new protobuf.Root();
  const googleFiles = new Set<string>();
  for (const schema of schemas) {
    if (schema.protoEquivalent) {
      // google.protobuf.Timestamp / Duration come from protobufjs' copy of the well-known types.
      googleFiles.add(schema.protoEquivalent.replace(/\./g, '/').toLowerCase() + '.proto');
      continue;
    }
    const enums = Object.values(foxgloveEnumSchemas).filter((e) => e.parentSchemaName === schema.name);
    // keepCase: field names must stay snake_case (frame_id) as in the published schemas.
    protobuf.parse(generateProto(schema, enums), root, { keepCase: true });
  }
  for (const file of [...googleFiles].sort()) {
    const json = protobuf.common.get(file);
    if (!json) throw new Error(`protobufjs lacks the well-known type file ${file}`);
    root.addJSON(json.nested as Record<string, protobuf.AnyNestedObject>);
  }
  root.resolveAll();

  // protobufjs writes one FileDescriptorProto per package; name them and declare the import so
  // tools that build a strict descriptor pool (protoc-style) accept the set too.
  const set = (root as unknown as { toDescriptor(v: string): descriptor.IFileDescriptorSet }).toDescriptor('proto3');
  const files = set.file ?? [];
  const google = files.filter((f) => f.package === 'google.protobuf');
  const foxglove = files.filter((f) => f.package !== 'google.protobuf');
  for (const f of google) f.name = 'google/protobuf/well_known.proto';
  for (const f of foxglove) {
    f.name = `foxglove/${top.name}.proto`;
    f.dependency = google.map((g) => g.name!);
  }
  set.file = [...google, ...foxglove];
  const descriptorSet = descriptor.FileDescriptorSet.encode(descriptor.FileDescriptorSet.fromObject(set as unknown as Record<string, unknown>)).finish();

  return { name: `foxglove.${top.name}`, descriptorSet, root, type: root.lookupType(`foxglove.${top.name}`) };
}

/** The protobuf schema for a Foxglove message, e.g. `foxgloveProtobufSchema('foxglove.Grid')`. */
export function foxgloveProtobufSchema(name: string): FoxgloveProtobufSchema {
  const key = name.startsWith('foxglove.') ? name : `foxglove.${name}`;
  let schema = cache.get(key);
  if (!schema) {
    schema = buildSchema(key);
    cache.set(key, schema);
  }
  return schema;
}

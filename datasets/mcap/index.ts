export { McapFileWriter, DEFAULT_CHUNK_SIZE, type McapFileWriterOptions } from './mcap-file-writer.js';
export { openMcap, type McapSource, type ReadWindow } from './mcap-source.js';
export { foxgloveProtobufSchema, foxgloveSchemaNames, type FoxgloveProtobufSchema } from './foxglove-schemas.js';
export { encodeProtobuf, decodeProtobuf } from './protobuf-codec.js';

/** csv-parse's WHATWG stream API (`csv-parse/stream`): a TransformStream of bytes to records (csv.js.org/parse/api/stream/). */
export function parse(options: Record<string, unknown>): TransformStream<Uint8Array, unknown>;

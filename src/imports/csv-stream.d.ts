/**
 * csv-parse's parser core: `parse(chunk, end, push, close)` pushes every record completed by `chunk` (in order) and
 * returns the error that stopped it, if any, after the records before it (csv.js.org/parse/).
 */
export type CsvParserCore = {
  parse(chunk: Uint8Array | undefined, end: boolean, push: (record: unknown) => void, close: () => void): Error | undefined;
};
export function csvParser(options: Record<string, unknown>): CsvParserCore;

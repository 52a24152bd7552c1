/** One row handed to `step`: its cells, the errors met in it, and the cursor just past it (papaparse's ParseResult). */
export type TextParserStep = { data: string[][]; errors: { type: string; code: string; message: string }[]; meta: { cursor: number } };

/**
 * papaparse's parser core (papaparse.com/docs: `Papa.Parser`): `parse(text, 0, ignoreLastRow)` calls `step` for every
 * row of `text` in order; with `ignoreLastRow` an unfinished last row is left unread (`meta.cursor` of the result is
 * where it starts). Never evaluates code.
 */
export declare class TextParser {
  constructor(config: { delimiter: string; newline: "\n" | "\r\n" | "\r"; quoteChar: string; step: (row: TextParserStep) => void });
  parse(text: string, baseIndex: number, ignoreLastRow: boolean): { meta: { cursor: number } };
}

// papaparse's parser core (`Papa.Parser`: the string tokenizer its own streamers drive, chunk by chunk), re-exported so
// that TypeScript reads csv-text.d.ts instead of the package's declarations (which reference Node's types).
import Papa from "papaparse";

export const TextParser = Papa.Parser;

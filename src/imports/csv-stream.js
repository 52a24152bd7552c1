// csv-parse's WHATWG stream API, re-exported so that TypeScript reads csv-stream.d.ts instead of the package's
// declarations (which reference Node's types for the whole program).
export { parse } from "csv-parse/stream";

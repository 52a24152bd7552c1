// csv-parse's parser core (the `api` of its Parser, which its own stream and sync entries drive), re-exported so that
// TypeScript reads csv-stream.d.ts instead of the package's declarations (which reference Node's types everywhere).
import { Parser } from "csv-parse";

export function csvParser(options) {
  return new Parser(options).api;
}

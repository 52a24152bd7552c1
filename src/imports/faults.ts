/** A fault that stops an import: the file (from this point on) cannot be read. Rows before it stay imported. */
export class ImportFault extends Error {
  constructor(
    readonly code: "bad_file_name" | "bad_header" | "malformed_csv" | "row_too_large" | "zip_bomb" | "bad_archive" | "duplicate" | "missing_object",
    message: string,
    /** Line of the file (1-based) where it happened, when known. */
    readonly line?: number,
    /** File name (a zip entry) where it happened. */
    readonly file?: string,
  ) {
    super(message);
    this.name = "ImportFault";
  }
}

/** One CSV line (RFC 4180 quoting) of cells: rejected rows are kept and downloaded in this form. */
export function csvLine(cells: readonly (string | number)[]): string {
  return cells.map((c) => (typeof c === "number" ? String(c) : /[",\r\n]/.test(c) || c.trimStart() !== c ? `"${c.replace(/"/g, '""')}"` : c)).join(",");
}

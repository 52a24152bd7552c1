/** The CSV file of the import benches (bench/csv-import.ts, bench/csv-micro.ts): 8 columns, quoted cells, non-ASCII text, 50,000 users. */
export const BENCH_HEADER = "user_identities.customerid,user_identities.email,user_attributes.Member Tier,user_attributes.city,events.data.event_name,events.data.timestamp_unixtime_ms,events.data.custom_attributes.plan,events.data.custom_attributes.note";

/** Row `i` (0-based) of the file; timestamps 10 days old (historical). */
export function benchRow(i: number, ts: number): string {
  return `cust-${i % 50_000},u${i % 50_000}@example.com,gold,"Zürich, CH",Viewed Page,${ts + i},premium,"said ""hi"""\n`;
}

/** The whole file as one string (small files). */
export function generateCsv(rows: number, ts = Date.now() - 10 * 86_400_000): string {
  const parts: string[] = [`${BENCH_HEADER}\n`];
  for (let i = 0; i < rows; i++) parts.push(benchRow(i, ts));
  return parts.join("");
}

/** System alerts: delivery errors per connection, written once per consumer invocation. */

export type Alert = {
  workspaceId?: number;
  connectionId: number;
  outputId?: number;
  environment?: string;
  kind: string;
  statusCode?: number;
  message: string;
  response?: string;
};

/**
 * Alerts kept per connection: the newest (older ones also leave after 30 days, src/scheduled.ts). A partner
 * outage writes one alert per forward invocation; this bounds the table at ~1,000 × connections rows however
 * long the outage lasts (docs/scale.md).
 */
export const ALERTS_PER_CONNECTION_MAX = 1_000;

/**
 * Insert statements for `alerts` (the partner's answer is kept, truncated to 4 KB), then one trim per
 * connection touched to its newest ALERTS_PER_CONNECTION_MAX.
 */
export function alertStatements(db: D1Database, alerts: Alert[], now: number): D1PreparedStatement[] {
  const stmts = alerts.map((a) =>
    db
      .prepare(
        `INSERT INTO system_alerts (workspace_id, connection_id, output_id, environment, kind, status_code, message, response, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(a.workspaceId ?? null, a.connectionId, a.outputId ?? null, a.environment ?? null, a.kind, a.statusCode ?? null, a.message.slice(0, 1000), a.response?.slice(0, 4096) ?? null, now),
  );
  for (const connectionId of new Set(alerts.map((a) => a.connectionId))) {
    stmts.push(
      db
        .prepare(`DELETE FROM system_alerts WHERE id IN (SELECT id FROM system_alerts WHERE connection_id = ? ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET ?)`)
        .bind(connectionId, ALERTS_PER_CONNECTION_MAX),
    );
  }
  return stmts;
}

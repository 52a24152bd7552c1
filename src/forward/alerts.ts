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

/** Insert statements for `alerts` (the partner's answer is kept, truncated to 4 KB). */
export function alertStatements(db: D1Database, alerts: Alert[], now: number): D1PreparedStatement[] {
  return alerts.map((a) =>
    db
      .prepare(
        `INSERT INTO system_alerts (workspace_id, connection_id, output_id, environment, kind, status_code, message, response, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(a.workspaceId ?? null, a.connectionId, a.outputId ?? null, a.environment ?? null, a.kind, a.statusCode ?? null, a.message.slice(0, 1000), a.response?.slice(0, 4096) ?? null, now),
  );
}

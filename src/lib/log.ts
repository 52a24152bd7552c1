/** Structured JSON logs, one object per line, carrying workspace/input/connection/batch ids. */

export type LogFields = {
  workspace_id?: number;
  input_id?: number;
  connection_id?: number;
  batch_id?: string;
  [k: string]: unknown;
};

function emit(level: "info" | "warn" | "error", msg: string, fields: LogFields) {
  const line = JSON.stringify({ level, msg, ts: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  info: (msg: string, fields: LogFields = {}) => emit("info", msg, fields),
  warn: (msg: string, fields: LogFields = {}) => emit("warn", msg, fields),
  error: (msg: string, fields: LogFields = {}) => emit("error", msg, fields),
};

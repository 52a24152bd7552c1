/**
 * LiveStream: one per workspace (name = workspace id). Holds the console's Live Stream viewers as hibernating
 * WebSockets (the object sleeps between messages; viewers stay connected) and fans out the samples the pipeline
 * publishes (src/pipeline/live-sample.ts) while at least one viewer is attached. No storage: a sample is shown, not
 * kept. The pipeline calls it only while `watching()` said yes in the last 5 s, so the object never carries a
 * workspace's whole stream.
 */
import { DurableObject } from "cloudflare:workers";

/** Samples fanned out per second and workspace; the rest are counted as skipped and the page says so. */
export const LIVE_MAX_PER_SECOND = 10;
/** Viewers per workspace (each a WebSocket). */
export const LIVE_MAX_VIEWERS = 50;

export type LiveSample = {
  kind: "inbound" | "outbound";
  at: number;
  workspaceId: number;
  inputId: number;
  connectionId?: number;
  outputId?: number;
  environment: string;
  mpid: string | null;
  eventTypes: string[];
  eventNames: string[];
  /** The full JSON: the inbound batch, or the outbound job with the partner's answer. */
  detail: unknown;
};

export class LiveStream extends DurableObject<Env> {
  private windowStart = 0;
  private inWindow = 0;
  private skipped = 0;

  /** Upgrades an authenticated viewer's request (the worker checked the session) to a hibernating WebSocket. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("WebSocket expected", { status: 426 });
    if (this.ctx.getWebSockets().length >= LIVE_MAX_VIEWERS) return new Response("Too many viewers", { status: 429 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    pair[1].send(JSON.stringify({ type: "hello", maxPerSecond: LIVE_MAX_PER_SECOND }));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  /** How many viewers are attached (the pipeline publishes only when > 0). */
  async watching(): Promise<number> {
    return this.ctx.getWebSockets().length;
  }

  /** Fans a sample out to every viewer, within LIVE_MAX_PER_SECOND; false when it was skipped or nobody watches. */
  async publish(sample: LiveSample): Promise<boolean> {
    const sockets = this.ctx.getWebSockets();
    if (!sockets.length) return false;
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= LIVE_MAX_PER_SECOND) {
      this.skipped++;
      return false;
    }
    this.inWindow++;
    const text = JSON.stringify({ type: "sample", skippedBefore: this.skipped, sample });
    this.skipped = 0;
    for (const ws of sockets) {
      try {
        ws.send(text);
      } catch {
        // a socket closing right now; its close handler cleans up
      }
    }
    return true;
  }

  /** Viewers send nothing but pings. */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (message === "ping") ws.send(JSON.stringify({ type: "pong" }));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    } catch {
      // already closed
    }
  }
}

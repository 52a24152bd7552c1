/**
 * BENCH_LIVE_VIEWER=1 (issue 22): a Live Stream viewer is attached to workspace 1 for the whole ingest and pipeline
 * stages — the console's sign-in (demo admin), then the page's WebSocket (`/console/live/socket`), as a browser
 * would. Messages received are counted so the report shows the viewer was really served.
 */
export const BENCH_LIVE_VIEWER = process.env.BENCH_LIVE_VIEWER === "1";

export type LiveViewer = { messages: () => number; close: () => void };

export async function attachLiveViewer(url: string): Promise<LiveViewer> {
  const login = await fetch(`${url}/console/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url },
    body: new URLSearchParams({ email: "admin@example.com", password: "demo-password" }).toString(),
  });
  const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
  if (login.status !== 303 || !cookie) throw new Error(`console sign-in: ${login.status} ${await login.text()}`);
  // Node's WebSocket (undici) takes extra headers in its init object: the session cookie, and the page's origin.
  const Ws = WebSocket as unknown as new (u: string, init: { headers: Record<string, string> }) => WebSocket;
  const ws = new Ws(`${url.replace(/^http/, "ws")}/console/live/socket`, { headers: { Cookie: cookie, Origin: url } });
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("live viewer: WebSocket did not open in 10 s")), 10_000);
    ws.addEventListener("open", () => { clearTimeout(t); resolve(); });
    ws.addEventListener("error", (e) => { clearTimeout(t); reject(new Error(`live viewer: ${String((e as ErrorEvent).message ?? e.type)}`)); });
  });
  ws.addEventListener("message", () => void n++);
  return { messages: () => n, close: () => ws.close() };
}

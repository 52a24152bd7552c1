import { fixtureBatch, type IntegrationFixture } from "../runtime/fixtures";

const a = fixtureBatch();
const b = fixtureBatch({ batch_id: "7d8f4e0a-0000-4000-8000-000000000002", mpid: "-5" });

export const fixtures: IntegrationFixture[] = [
  {
    name: "posts each outbound batch as JSON, one request per batch",
    config: { url: "https://hooks.example.com/in" },
    batches: [a, b],
    requests: [
      { method: "POST", url: "https://hooks.example.com/in", headers: { "Content-Type": "application/json" }, json: a, jobs: [0] },
      { method: "POST", url: "https://hooks.example.com/in", headers: { "Content-Type": "application/json" }, json: b, jobs: [1] },
    ],
    answers: [
      { status: 200, outcome: "ok" },
      { status: 204, outcome: "ok" },
    ],
  },
  {
    name: "signs the body with the shared secret (HMAC-SHA256, hex)",
    config: { url: "https://hooks.example.com/in", sharedSecret: "topsecret" },
    batches: [fixtureBatch({ events: [] })],
    requests: [
      {
        method: "POST",
        url: "https://hooks.example.com/in",
        // HMAC-SHA256("topsecret", body) of the batch below, computed independently with openssl.
        headers: { "X-Edge-CDP-Signature": "sha256=548fd87d696df705e1db605e60a449f1272919c58f516d9db1598a1a8506d2c3" },
        json: fixtureBatch({ events: [] }),
        jobs: [0],
      },
    ],
  },
  {
    name: "classifies partner errors: 429/500/503 retry (Retry-After kept), 400/401/404 and 501 are permanent",
    config: { url: "https://hooks.example.com/in" },
    batches: [a],
    requests: [{ method: "POST", url: "https://hooks.example.com/in", json: a, jobs: [0] }],
    answers: [
      { status: 429, headers: { "Retry-After": "30" }, outcome: "retryable", retryAfterSeconds: 30 },
      { status: 500, outcome: "retryable" },
      { status: 503, outcome: "retryable" },
      { status: 408, outcome: "retryable" },
      { status: 400, outcome: "permanent" },
      { status: 401, outcome: "permanent" },
      { status: 404, outcome: "permanent" },
      { status: 501, outcome: "permanent" },
    ],
  },
  { name: "refuses a configuration without a URL", config: {}, batches: [a], invalidConfig: true },
  { name: "refuses a non-http URL", config: { url: "ftp://hooks.example.com/in" }, batches: [a], invalidConfig: true },
];

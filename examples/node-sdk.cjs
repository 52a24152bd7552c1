// The official mParticle Node SDK (npm `mparticle`) against a local edge-cdp: `node examples/node-sdk.cjs`.
// A .cjs file because the SDK is CommonJS and this package is "type": "module".
// EDGE_CDP_URL changes the worker (default http://127.0.0.1:8787, what `npm start` serves); CUSTOMER_ID the user.
const mParticle = require("mparticle");

const base = process.env.EDGE_CDP_URL || "http://127.0.0.1:8787";
const customerId = process.env.CUSTOMER_ID || "node-sdk-user";

// The batch, built with the SDK's own model classes: a user with two identities and attributes, two events.
const batch = new mParticle.Batch(mParticle.Batch.Environment.development);
const identities = new mParticle.UserIdentities();
identities.customerid = customerId;
identities.email = `${customerId}@example.com`;
batch.user_identities = identities;
batch.user_attributes = { plan: "premium", $FirstName: "Jane" };

const signup = new mParticle.AppEvent(mParticle.AppEvent.CustomEventType.other, "Signed Up");
signup.custom_attributes = { source: "examples/node-sdk.cjs" };
batch.addEvent(signup);
batch.addEvent(new mParticle.ScreenViewEvent("Welcome"));

// Point the SDK at edge-cdp instead of s2s.mparticle.com: only the base path changes.
const client = new mParticle.ApiClient();
client.basePath = `${base}/v2`;
const api = new mParticle.EventsApi(new mParticle.Configuration("demo-server-key", "demo-server-secret"), client);

api.uploadEvents(batch, (error, _data, response) => {
  if (error) {
    console.error(`not accepted: ${error.message}${response ? ` (HTTP ${response.status}: ${response.text})` : ""}`);
    process.exit(1);
  }
  console.log(`accepted: HTTP ${response.status} for customer id ${customerId}`);
});

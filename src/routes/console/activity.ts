/**
 * User Activity: search by MPID or any identity value; a profile's identities, devices, attributes, consent and
 * recent events. Admins (and viewers granted PII access) see identity values and attributes; attribute edits are
 * sent as a batch through an input the admin chooses, as mParticle does, so they take the pipeline's path.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { z } from "zod";
import { createDb } from "../../db";
import { inputsOfWorkspace } from "../../db/queries/console-scope";
import { findInputByKey } from "../../db/queries/inputs";
import { userProfileName } from "../../durable/user-profile";
import { identityContextFor } from "../../identity/context";
import { NotFoundError, ValidationError } from "../../lib/errors";
import { adminOnly, canSeePii } from "../../middleware/console-auth";
import { profileBody } from "../../profile/view";
import { findProfiles } from "../../profile/search";
import { normalizeMpid } from "../../schema/batch";
import { queueBatches } from "../events";
import { csrfField, href, isAdmin, page, type ViewContext, type ViewEnv, when } from "./layout";

const HIDDEN = "hidden (no PII access)";

async function scopeOf(c: ViewContext) {
  const ws = c.get("workspace");
  return (await identityContextFor(c.env, { workspaceId: ws.id, accountId: ws.accountId, organizationId: c.get("session").user.organizationId })).scope;
}

export const activityView = new Hono<ViewEnv>();

activityView.get("/", async (c) => {
  const q = (c.req.query("q") ?? "").trim().slice(0, 512);
  const ws = c.get("workspace");
  const pii = canSeePii(c.get("session"));
  const scope = q ? await scopeOf(c) : "";
  const views = q ? await findProfiles(c.env, scope, ws.id, q) : [];
  const inputs = isAdmin(c) ? await inputsOfWorkspace(createDb(c.env.DB), ws.id) : [];
  const profiles = await Promise.all(
    views.map(async (v) => ({ v, body: profileBody(v, new Set(["user_identities", "device_identities", "user_attributes", "consent_state", "audience_memberships"])) as Record<string, any>, history: await c.env.USER_PROFILE.getByName(userProfileName(scope, v.mpid)).history(50) })),
  );
  const saved = c.req.query("sent");
  return page(c, {
    title: "User Activity",
    active: "/activity",
    body: html`<form method="get" action="/console/activity" class="search">
  <input type="hidden" name="ws" value="${ws.id}">
  <label>MPID or identity value <input name="q" value="${q}" size="40" id="search-q" required></label>
  <button type="submit" id="search">Search</button>
</form>
${saved ? html`<p class="note" role="status">Attribute change sent through input ${saved}; the profile shows it once the pipeline has processed the batch (about a second).</p>` : ""}
${q && !profiles.length ? html`<p class="empty">No user found for “${q}”.</p>` : ""}
${profiles.map(({ v, body, history }) => html`<section class="profile" data-mpid="${v.mpid}">
  <h2>MPID ${v.mpid}</h2>
  <p class="meta">Created ${when(v.createdAt)} · last seen ${when(v.lastSeen)}</p>
  <h3>Identities</h3>
  <table class="kv">${(body.user_identities ?? []).map((i: any) => html`<tr><th>${i.type}</th><td>${pii ? i.value : HIDDEN}</td></tr>`)}</table>
  <h3>Devices</h3>
  <table class="kv">${(body.device_identities ?? []).map((i: any) => html`<tr><th>${i.type}</th><td>${pii ? i.value : HIDDEN}</td></tr>`)}</table>
  <h3>User attributes</h3>
  ${pii ? html`<table class="kv attributes">${Object.entries(v.attributes).map(([k, val]) => html`<tr><th>${k}</th><td>${JSON.stringify(val)}</td></tr>`)}</table>` : html`<p class="empty">${HIDDEN}</p>`}
  <h3>Audiences</h3>
  <p>${(body.audience_memberships ?? []).length ? JSON.stringify(body.audience_memberships) : "none"}</p>
  <h3>Consent</h3>
  <pre class="json">${JSON.stringify(v.consent, null, 2)}</pre>
  ${isAdmin(c) ? html`<h3>Edit an attribute</h3>
  <form method="post" action="${href(c, "/activity/attributes")}" class="edit">
    ${csrfField(c)}<input type="hidden" name="mpid" value="${v.mpid}">
    <label>Through input <select name="input">${inputs.map((i) => html`<option value="${i.id}">${i.name} (${i.platform})</option>`)}</select></label>
    <label>Attribute <input name="key" required maxlength="255"></label>
    <label>Value <input name="value" maxlength="4096"></label>
    <button type="submit">Send</button>
  </form>` : ""}
  <h3>Recent events</h3>
  <ol class="timeline">${history.map((e) => html`<li><time>${when(e.ts)}</time> <span class="type">${e.eventType}</span> ${e.name ?? ""}</li>`)}</ol>
</section>`)}`,
  });
});

const AttributeEdit = z.object({ mpid: z.string(), input: z.coerce.number().int().positive(), key: z.string().min(1).max(255), value: z.string().max(4096).default("") });

activityView.post("/attributes", adminOnly(), async (c) => {
  const r = AttributeEdit.safeParse(await c.req.parseBody());
  if (!r.success) throw new ValidationError(r.error.issues.map((i) => ({ code: "BAD_REQUEST", message: `${i.path.join(".")}: ${i.message}` })));
  const mpid = normalizeMpid(r.data.mpid);
  if (!mpid) throw new ValidationError([{ code: "BAD_REQUEST", message: "mpid: must be a non-zero signed 64-bit integer." }]);
  const db = createDb(c.env.DB);
  const chosen = (await inputsOfWorkspace(db, c.get("workspace").id)).find((i) => i.id === r.data.input);
  const input = chosen ? await findInputByKey(db, chosen.apiKey) : null;
  if (!input || input.status !== "active") throw new NotFoundError(`Input ${r.data.input} not found or not active in this workspace.`);
  const batch = { environment: "production", mpid, user_attributes: { [r.data.key]: r.data.value }, events: [] };
  await queueBatches(c.env, input, [batch as never], { channel: "server_to_server", historical: false, log: { console_user: c.get("session").user.id } });
  return c.redirect(href(c, `/activity?q=${encodeURIComponent(mpid)}&sent=${input.id}`), 303);
});

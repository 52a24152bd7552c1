/** Test helpers for audience partner modules (imported by *.test.ts only). */
import type { AudienceCallContext, AudienceMember, AudienceRef, AudienceRequest, MembershipChange } from "../../runtime/audience-types";
import type { PartnerResponse } from "../../runtime/types";

export const AUDIENCE: AudienceRef = { id: 13051, name: "possible_parisians", external_name: "Possible Parisians", workspace_id: 7 };
export const NOW = 1_764_000_000_000;

/** A member with the given identities, device ids and attributes. */
export function member(mpid: string, user_identities: Record<string, string> = {}, device_identities: Record<string, string> = {}, user_attributes: Record<string, unknown> = {}): AudienceMember {
  return { mpid, user_identities, device_identities, user_attributes };
}

export const add = (m: AudienceMember): MembershipChange => ({ action: "add", member: m });
export const del = (m: AudienceMember): MembershipChange => ({ action: "delete", member: m });

/** A partner answer. */
export function answer(status: number, body: unknown = "", headers: Record<string, string> = {}): PartnerResponse {
  return { status, headers, body: typeof body === "string" ? body : JSON.stringify(body) };
}

type Sent = Parameters<AudienceCallContext<unknown, unknown>["send"]>[0];

/** A call context whose `send` records requests and answers them in order from `answers` (a function or list). */
export function fakeContext<C, S>(
  base: { config: C; connection: S; state?: Record<string, unknown>; audience?: AudienceRef },
  answers: ((req: Sent, i: number) => PartnerResponse) | PartnerResponse[],
): { ctx: AudienceCallContext<C, S>; sent: Sent[] } {
  const sent: Sent[] = [];
  const ctx: AudienceCallContext<C, S> = {
    audience: base.audience ?? AUDIENCE,
    config: base.config,
    connection: base.connection,
    state: base.state ?? {},
    now: NOW,
    async send(req) {
      sent.push(req);
      const i = sent.length - 1;
      const a = typeof answers === "function" ? answers(req, i) : answers[i];
      if (!a) throw new Error(`unexpected request ${i}: ${req.method} ${req.url}`);
      return a;
    },
  };
  return { ctx, sent };
}

/** The JSON body of a request. */
export const bodyOf = (r: { body?: string }): unknown => JSON.parse(r.body ?? "null");

/** A request as the uploader would hand it to classify (for tests of classify alone). */
export function requestFor(mpids: string[], action: "add" | "delete" = "add"): AudienceRequest {
  return { method: "POST", url: "https://partner.example/x", headers: {}, body: "{}", action, mpids };
}

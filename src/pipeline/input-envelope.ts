/** The part of an ingest message that describes the input that received it. */
import type { InputContext } from "../db/queries/inputs";
import { SOURCE_RANK } from "../durable/profile-merge";
import { protectionLevel } from "../identity/config";
import type { IngestMessage } from "./messages";

/** Source-type rank of an input: platform inputs first, then custom feeds, then partner feeds. */
export function sourceRank(input: Pick<InputContext, "kind" | "settings">): number {
  if (input.kind === "platform") return SOURCE_RANK.platform;
  return input.settings?.partner ? SOURCE_RANK.partner_feed : SOURCE_RANK.custom_feed;
}

/** Ids, protection level and source rank of `input` for an ingest message. */
export function inputEnvelope(input: InputContext): Pick<IngestMessage, "inputId" | "workspaceId" | "organizationId" | "accountId" | "protection" | "sourceRank"> {
  return {
    inputId: input.id,
    workspaceId: input.workspaceId,
    organizationId: input.organizationId,
    accountId: input.accountId,
    protection: protectionLevel(input),
    sourceRank: sourceRank(input),
  };
}

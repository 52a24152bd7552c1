/** Membership changes as the UserProfile objects emit them on the `audience-changes` queue (docs/audiences.md). */

/** One membership change of one user: entered (`add`) or left (`delete`) an audience at `timestamp_ms`. */
export interface AudienceChange {
  audience_id: number;
  action: "add" | "delete";
  timestamp_ms: number;
}

/**
 * The user as audience outputs need them (docs/audience-outputs.md), taken when the changes were evaluated:
 * user identities by Events API batch name, device identities by `device_info` name, the workspace's user
 * attributes (left out, `attributes_omitted`, when they would make the message too large).
 */
export type MemberSnapshot = {
  user_identities: Record<string, string>;
  device_identities: Record<string, string>;
  user_attributes: Record<string, unknown>;
  attributes_omitted?: true;
  /** The user's audiences in the workspace after this evaluation (ids, ascending). */
  audience_memberships?: number[];
};

/**
 * A queue message: the changes one profile recorded in one evaluation, in order. `workspace_id` and `member`
 * (added for audience outputs; absent in messages queued before) say whose data it is; `erasure` marks the
 * removals of an erased user (outputs forget the member once the removal is uploaded).
 */
export type AudienceChangesMessage = {
  v: 1;
  type: "audience_changes";
  mpid: string;
  changes: AudienceChange[];
  workspace_id?: number;
  member?: MemberSnapshot;
  erasure?: true;
};

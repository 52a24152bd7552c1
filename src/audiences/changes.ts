/** Membership changes as the UserProfile objects emit them on the `audience-changes` queue (docs/audiences.md). */

/** One membership change of one user: entered (`add`) or left (`delete`) an audience at `timestamp_ms`. */
export interface AudienceChange {
  audience_id: number;
  action: "add" | "delete";
  timestamp_ms: number;
}

/** A queue message: the changes one profile recorded in one evaluation, in order. */
export type AudienceChangesMessage = { v: 1; type: "audience_changes"; mpid: string; changes: AudienceChange[] };

/** Block settings of a data plan version (mparticle-api.md §7.3, §7.4 `blok`): only unplanned data is ever blocked. */
export type PlanBlocking = {
  /** Block unplanned events. */
  ev: boolean;
  /** Block unplanned event attributes. */
  ea: boolean;
  /** Block unplanned user attributes. */
  ua: boolean;
  /** Block unplanned user identities. */
  id: boolean;
};

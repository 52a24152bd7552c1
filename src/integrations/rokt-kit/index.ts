/**
 * Rokt Thanks & Pay+ kit output (seed 000). Nothing is forwarded server-side: the Web (and mobile) SDK
 * loads the Rokt kit and renders placements itself. The output's settings — the Rokt Account ID and the
 * Placement Attributes Mapping — are delivered to the SDK as a `kitConfigs[]` entry of its `/config`
 * answer, built by the pure `roktKitConfiguration`.
 */
import { z } from "zod";
import type { IntegrationDefinition } from "../runtime/types";

/** Module id of the Rokt kit in mParticle's SDK kit registry (mParticle-web-kit-rokt `moduleId`). */
export const ROKT_KIT_MODULE_ID = 181;

const configSchema = z.object({
  accountId: z
    .string()
    .regex(/^\d+$/, "digits only")
    .describe("Rokt Account ID: the digits after my.rokt.com/accounts/ in the Rokt dashboard URL."),
  placementAttributesMapping: z
    .array(
      z.object({
        map: z.string().min(1).describe("mParticle user attribute name (e.g. $firstname, loyalty_tier)."),
        value: z.string().min(1).describe("Rokt reserved attribute it is sent as (e.g. firstname, billingzipcode)."),
      }),
    )
    .default([])
    .describe("Placement Attributes Mapping: mParticle user attributes → Rokt reserved attributes passed to selectPlacements."),
});
const connectionSchema = z.object({}).loose();
export type RoktKitConfig = z.output<typeof configSchema>;

/** One `kitConfigs[]` entry as the mParticle Web SDK reads it (settings are strings, mappings a JSON string). */
export type KitConfiguration = {
  name: string;
  moduleId: number;
  isDebug: boolean;
  isVisible: boolean;
  isDebugString: string;
  hasDebugString: string;
  settings: Record<string, string>;
  eventNameFilters: number[];
  eventTypeFilters: number[];
  attributeFilters: number[];
  screenNameFilters: number[];
  screenAttributeFilters: number[];
  userIdentityFilters: number[];
  userAttributeFilters: number[];
  filteringEventAttributeValue: null;
  filteringUserAttributeValue: null;
  filteringConsentRuleValues: null;
  consentRegulationFilters: number[];
  consentRegulationPurposeFilters: number[];
  messageTypeFilters: number[];
  messageTypeStateFilters: number[];
  excludeAnonymousUser: boolean;
};

/** Pure: the kit configuration the SDK receives for a Rokt Thanks & Pay+ output (no filters applied). */
export function roktKitConfiguration(config: RoktKitConfig): KitConfiguration {
  const mapping = config.placementAttributesMapping.map((m) => ({ jsmap: null, map: m.map, maptype: "UserAttributeClass.Name", value: m.value }));
  return {
    name: "Rokt",
    moduleId: ROKT_KIT_MODULE_ID,
    isDebug: false,
    isVisible: true,
    isDebugString: "false",
    hasDebugString: "false",
    settings: { accountId: config.accountId, placementAttributesMapping: JSON.stringify(mapping) },
    eventNameFilters: [],
    eventTypeFilters: [],
    attributeFilters: [],
    screenNameFilters: [],
    screenAttributeFilters: [],
    userIdentityFilters: [],
    userAttributeFilters: [],
    filteringEventAttributeValue: null,
    filteringUserAttributeValue: null,
    filteringConsentRuleValues: null,
    consentRegulationFilters: [],
    consentRegulationPurposeFilters: [],
    messageTypeFilters: [],
    messageTypeStateFilters: [],
    excludeAnonymousUser: false,
  };
}

export const roktKit: IntegrationDefinition<typeof configSchema, typeof connectionSchema> = {
  slug: "rokt-kit",
  moduleId: ROKT_KIT_MODULE_ID,
  title: "Rokt Thanks and Pay+ (kit)",
  kinds: ["event"],
  configSchema,
  connectionSchema,
  secretSettings: [],
  platforms: ["web", "ios", "android"],
  eventTypes: [],
  maxBatchesPerCall: 100,
  /** Client-side kit: the SDK talks to Rokt; the server forwards nothing. */
  transform: () => [],
};

/**
 * The partner audience outputs (issue 20, docs/audience-outputs.md "Partners"): each module builds its
 * partner's requests and reads its answers; the uploader drives them. Registered with the other audience
 * outputs by src/integrations/audience/registry.ts.
 */
import type { AudiencePartner } from "../runtime/audience-types";
import { brazeAudience } from "./braze";
import { facebookAudience } from "./facebook";
import { snapchatAudience } from "./snapchat";
import { pinterestAudience } from "./pinterest";
import { roktAudience } from "./rokt";
import { xAudience } from "./x";

export const audiencePartnerModules: AudiencePartner[] = [facebookAudience, snapchatAudience, xAudience, pinterestAudience, brazeAudience, roktAudience];

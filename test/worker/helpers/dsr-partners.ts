/** Shared pieces of the partner DSR forwarding tests (erasure-partners*.test.ts). */
import type { DsrSubject } from "../../../src/integrations/runtime/types";
import type { DsrStep, DsrWork } from "../../../src/privacy/dsr-processing";

/** A DSR subject as the integrations' request builders see it (erasure, GDPR), with overrides. */
export const dsrSubject = (over: Partial<DsrSubject> = {}): DsrSubject => ({
  subjectRequestId: "a7551968-d5d6-44b2-9831-815ac9017798",
  requestType: "erasure",
  regulation: "gdpr",
  submittedTime: "2026-11-01T15:00:00Z",
  identities: [],
  mpids: [],
  ...over,
});

/** The work of the next processing pass, carrying what the previous step returned. */
export const nextWork = (w: DsrWork, s: DsrStep): DsrWork => ({ ...w, mpids: s.mpids, identities: s.identities, partnerStatus: s.partnerStatus, attempt: w.attempt + 1 });

/** The step's status entry of one partner domain. */
export const statusOf = (s: DsrStep, domain: string) => s.partnerStatus.find((p) => p.domain === domain)!;

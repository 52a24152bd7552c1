/** What the Platform API and the forward consumer say about an output whose sealed secret settings no key opens. */
import { type SealKeys, tryUnseal } from "../../lib/sealed";

/** The message naming the output and how to enter its secrets again. */
export function undecryptableSecretsMessage(outputId: number, reason: string): string {
  return `The secret settings of output ${outputId} cannot be decrypted (${reason}): enter them again with PUT /v1/apps/{id}/platforms/{platform}/services. Nothing is forwarded on its connections until then.`;
}

/**
 * Whether an output's stored secret settings can be opened, as the Platform API shows it: `ok`, or
 * `undecryptable` with the message saying they must be entered again; nothing when it has none.
 */
export async function secretSettingsStatus(keys: SealKeys, outputId: number, sealed: string | null): Promise<{ secret_settings_status?: "ok" | "undecryptable"; secret_settings_message?: string }> {
  if (!sealed) return {};
  const opened = await tryUnseal(keys, sealed);
  return opened.ok ? { secret_settings_status: "ok" } : { secret_settings_status: "undecryptable", secret_settings_message: undecryptableSecretsMessage(outputId, opened.reason) };
}

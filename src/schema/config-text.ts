/**
 * Text and shape rules of configuration bodies (Platform API): names are trimmed, bounded and free of
 * control and bidirectional-formatting characters (a U+202E in a name shown in a console or a log reverses
 * what the reader sees: "invoice\u202Etxt.exe" reads "invoiceexe.txt"); bodies are nested at most
 * MAX_CONFIG_DEPTH levels.
 */
import { z } from "zod";

/** Longest configuration name (account, workspace, app, platform, feed, API client, output account). */
export const MAX_NAME_LENGTH = 200;
/** Most nested levels of objects and arrays in a configuration body, the body being level 1 (our bound). */
export const MAX_CONFIG_DEPTH = 32;

/**
 * C0 and C1 controls (NUL, tab, newlines, DEL, …), the line and paragraph separators, and the Unicode
 * bidirectional formatting characters (ALM U+061C, LRM/RLM U+200E–U+200F, embeddings and overrides
 * U+202A–U+202E, isolates U+2066–U+2069): never meaningful in a name.
 */
export const FORBIDDEN_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A configuration name: trimmed, 1 to `max` characters, without control or bidi formatting characters. */
export const configName = (max = MAX_NAME_LENGTH) =>
  z
    .string()
    .refine((s) => !FORBIDDEN_NAME_CHARS.test(s), { error: "must not contain control or bidirectional-override characters" })
    .transform((s) => s.trim())
    .pipe(z.string().min(1).max(max));

/** A free-text field of configuration (descriptions, plan names): bounded, without control or bidi characters. */
export const configText = (max: number) => z.string().max(max).refine((s) => !FORBIDDEN_NAME_CHARS.test(s.replace(/[\t\n\r]/g, " ")), { error: "must not contain control or bidirectional-override characters" });

/** JSON request bodies: parse or answer 400 with the parser's message. */
import { ValidationError } from "./errors";

/** `JSON.parse(text)`, or a 400 `Malformed JSON: …` ValidationError. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError([{ code: "BAD_REQUEST", message: `Malformed JSON: ${(err as Error).message}` }]);
  }
}

import { env } from "cloudflare:workers";
import type { DeadLetterRecord } from "../../../src/db/dead-letter-objects";

/** Every dead letter in R2 (pending and replayed), as stored. */
export async function deadLetterObjects(): Promise<{ key: string; record: DeadLetterRecord; text: string }[]> {
  const out: { key: string; record: DeadLetterRecord; text: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.DEAD_LETTERS.list({ cursor, limit: 1000 });
    for (const o of page.objects) {
      const text = await (await env.DEAD_LETTERS.get(o.key))!.text();
      out.push({ key: o.key, record: JSON.parse(text) as DeadLetterRecord, text });
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out;
}

/** The id of a dead letter whose stored payload mentions `needle` (as `instr(payload, ?)` did on the D1 column), or null. */
export async function deadLetterMentioning(needle: string): Promise<string | null> {
  return (await deadLetterObjects()).find((o) => JSON.stringify(o.record.payload).includes(needle))?.record.id ?? null;
}

/** The stored payload of a dead letter, by id (null when no object holds it). */
export async function deadLetterPayload(id: string): Promise<unknown> {
  return (await deadLetterObjects()).find((o) => o.record.id === id)?.record.payload ?? null;
}

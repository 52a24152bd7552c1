/**
 * The storage a profile's parts share: its SQLite handle, the `meta` table (read whole once, kept by this
 * instance: it is the only writer of its storage) and the transaction that drops every part's in-memory
 * copies when it fails (its writes were rolled back).
 */

/** Durable Object SQL binds at most 100 parameters per statement. */
export const MAX_BINDINGS = 100;

export class ProfileStore {
  private metaCache: Map<string, string> | undefined;
  private readonly resets: (() => void)[] = [];

  constructor(
    readonly storage: DurableObjectStorage,
    readonly sql: SqlStorage = storage.sql,
  ) {}

  /** Registers what a part forgets when a transaction fails or the storage is erased. */
  onReset(fn: () => void): void {
    this.resets.push(fn);
  }

  /** Forgets every cached read (a failed transaction rolled its writes back; the storage was erased). */
  reset(): void {
    this.metaCache = undefined;
    for (const fn of this.resets) fn();
  }

  tx<T>(fn: () => T): T {
    try {
      return this.storage.transactionSync(fn);
    } catch (err) {
      this.reset();
      throw err;
    }
  }

  private metaMap(): Map<string, string> {
    this.metaCache ??= new Map(this.sql.exec<{ key: string; value: string }>(`SELECT key, value FROM meta`).toArray().map((r) => [r.key, r.value]));
    return this.metaCache;
  }

  meta(key: string): string | undefined {
    return this.metaMap().get(key);
  }

  /** Meta entries whose key starts with `prefix` (from the cached table). */
  metaWithPrefix(prefix: string): [string, string][] {
    return [...this.metaMap()].filter(([k]) => k.startsWith(prefix));
  }

  setMeta(key: string, value: string): void {
    this.sql.exec(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value);
    this.metaCache?.set(key, value);
  }

  deleteMeta(key: string): void {
    this.sql.exec(`DELETE FROM meta WHERE key = ?`, key);
    this.metaCache?.delete(key);
  }

  /** When the profile was created (0: no profile). */
  createdAt(): number {
    return Number(this.meta("created_at") ?? 0);
  }
}

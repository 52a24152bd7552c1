/** Types of scripts/sink.mjs (the delivery inbox) for the TypeScript tests. */
export type Delivery = { n: number; received_at: string; method: string; path: string; headers: Record<string, string | string[] | undefined>; summary: string; body: string };
export declare const INBOX_KEEP: number;
export declare function startInbox(opts?: { port?: number; quiet?: boolean; log?: (line: string) => void }): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }>;

/** Types of scripts/assets.mjs for vitest.config.ts. */
export declare function buildAssets(): void;

// liquidjs' browser build (no fs, path, stream or crypto imports): the build workerd runs. Declared here with the
// part of its API this folder uses, because the package's own declarations pull in Node's global types.
declare module "liquidjs/dist/liquid.browser.mjs" {
  export interface Template {
    readonly token: unknown;
  }
  export class Liquid {
    constructor(options?: Record<string, unknown>);
    readonly options: unknown;
    readonly tags: Record<string, unknown>;
    readonly filters: Record<string, unknown>;
    parse(source: string): Template[];
    renderSync(templates: Template[], scope: object | Context): unknown;
    analyzeSync(templates: Template[]): { globals: Record<string, unknown> };
  }
  export class Context {
    constructor(scope: object, options: unknown, renderOptions: { sync?: boolean }, extra: { liquid: Liquid; memoryLimit?: { use(n: number): void; check(n: number): void } });
  }
  export class Output implements Template {
    readonly token: unknown;
    readonly value: { value(ctx: Context, lenient: boolean): unknown };
  }
  export function toValue(v: unknown): unknown;
  export function toValueSync(v: unknown): unknown;
}

/** Field transformations (issue 23; docs/field-transformations.md): compile once per version, apply per row or batch. */
export { applyTransformation, type ApplyResult } from "./apply";
export { CompileError, compileTransformation, type CompiledTransformation, UNMAPPED } from "./compile";
export { ALLOWED_FILTERS, TEMPLATE_VARIABLES } from "./liquid";
export { fieldTransformation, type LoadedTransformation } from "./cache";

/** Calculated attributes among user attributes (audiences.md §3): keyed by CA name, a CA wins over a same-named attribute. */
import type { AttributeValue } from "../durable/profile-merge";

export function withCalculated(attributes: Record<string, AttributeValue>, values: Record<string, string | string[]> | undefined): Record<string, AttributeValue> {
  if (!values || Object.keys(values).length === 0) return attributes;
  return { ...attributes, ...values };
}

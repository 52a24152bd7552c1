/**
 * Lower-cased names, remembered per isolate: matching compares each event's name with every definition and
 * counter, so the same few names are lower-cased again and again. At most LOWER_CACHE_SIZE names are kept (the
 * memory is bounded whatever names arrive; a full cache starts over).
 */
const LOWER_CACHE_SIZE = 1000;
const lowered = new Map<string, string>();

/** `s.toLowerCase()`, remembered. */
export function lowerCached(s: string): string {
  let l = lowered.get(s);
  if (l === undefined) {
    if (lowered.size >= LOWER_CACHE_SIZE) lowered.clear();
    lowered.set(s, (l = s.toLowerCase()));
  }
  return l;
}

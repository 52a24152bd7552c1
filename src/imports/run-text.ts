/** UTF-8 helpers of the CSV reader (src/imports/records.ts): cut characters, byte lengths, runs decoded line by line. */

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const LF = 10;

/** `b`'s length without an unfinished UTF-8 sequence at its end (kept for the next run). */
export function completeLength(b: Uint8Array): number {
  const n = b.length;
  let i = n - 1;
  while (i >= 0 && i >= n - 3 && (b[i]! & 0xc0) === 0x80) i--;
  if (i < 0) return n;
  const c = b[i]!;
  const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  return i + need > n ? i : n;
}

/** UTF-8 bytes of `s[from, to)` (text decoded from UTF-8: surrogates come in pairs). */
export function utf8Length(s: string, from: number, to: number): number {
  let n = to - from;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}

/**
 * A run's text with the byte offset of every line start: decoded line by line, each line strict UTF-8 or marked bad
 * (and decoded leniently, for the rejected row's copy). Records end at line ends, so their byte offsets are exact.
 */
export function byLines(bytes: Uint8Array): { text: string; chars: number[]; bytes: number[]; bad: boolean[] } {
  const parts: string[] = [];
  const chars: number[] = [];
  const offs: number[] = [];
  const bad: boolean[] = [];
  let chars0 = 0;
  for (let at = 0; at < bytes.length; ) {
    const nl = bytes.indexOf(LF, at);
    const end = nl < 0 ? bytes.length : nl + 1;
    const seg = bytes.subarray(at, end);
    let s: string;
    let ok = true;
    try {
      s = utf8.decode(seg);
    } catch {
      s = lenient.decode(seg);
      ok = false;
    }
    chars.push(chars0);
    offs.push(at);
    bad.push(!ok);
    parts.push(s);
    chars0 += s.length;
    at = end;
  }
  chars.push(chars0);
  offs.push(bytes.length);
  bad.push(false);
  return { text: parts.join(""), chars, bytes: offs, bad };
}

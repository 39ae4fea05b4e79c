/**
 * Scanning untrusted text (issue bodies, titles, descriptions, artifact ids) in time linear in its
 * length: plain loops over the characters, no regular expression that can backtrack. Each function
 * here says which regular expression it stands for; text.test.ts checks that they agree on
 * generated input.
 */

/** A JavaScript `\s` character (WhiteSpace or LineTerminator, as String.prototype.trim knows them). */
export function isSpace(code: number): boolean {
  return (
    (code >= 9 && code <= 13) ||
    code === 32 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** A line terminator, as `^` and `$` of a multiline regular expression know them. */
export function isLineTerminator(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/** A `\w` character. */
export function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95
  );
}

export function isHexDigit(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 70) ||
    (code >= 97 && code <= 102)
  );
}

/** The index of the first character at or after `from` that is not `\s` (text.length if none). */
export function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The index of the line terminator that ends the line holding `from` (text.length for the last line). */
export function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && !isLineTerminator(text.charCodeAt(i))) i++;
  return i;
}

/** Whether text from `from` to `to` is all `\s`. */
function blank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++)
    if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** Case-insensitive (ASCII) `text.startsWith(prefix, at)`; `prefix` is lower case. */
function startsWithIgnoreCase(
  text: string,
  prefix: string,
  at: number,
): boolean {
  if (at + prefix.length > text.length) return false;
  for (let k = 0; k < prefix.length; k++) {
    let c = text.charCodeAt(at + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== prefix.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Where a literal word occurs in text, ignoring ASCII case (as a regular expression's `i` flag
 * does without `u`), in order. A regular expression of one literal word has nothing to backtrack:
 * the engine's search for it is linear in the text.
 */
function* occurrences(text: string, word: string): Generator<number> {
  const search = new RegExp(word.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'), 'gi');
  for (let m = search.exec(text); m; m = search.exec(text)) {
    yield m.index;
    search.lastIndex = m.index + 1;
  }
}

/** Whether only spaces stand between the start of the line holding `at` and `at`. */
function atLineStart(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (isLineTerminator(c)) return true;
    if (!isSpace(c)) return false;
  }
  return true;
}

/**
 * The first match of `^\s*(?:<header>)\s*<value>` with the `im` flags: a line whose text, after
 * leading whitespace, starts with one of `headers` (lower case; case-insensitive), which all end in
 * `key`; the value starts at the first non-space character after the header, which may be on a later
 * line, as `\s*` crosses line ends. `value(text, at)` answers the capture at `at`, or undefined when
 * this header's value does not match.
 *
 * Linear: the occurrences of `key` are found by a literal search; the walk back to a line start
 * crosses only the spaces after the previous non-space character, which no other walk crosses; and
 * a value's scan ends with the line the value is on, so each line is read a bounded number of times.
 */
function firstHeaderValue(
  text: string,
  key: string,
  headers: string[],
  value: (text: string, at: number) => string | undefined,
): string | undefined {
  for (const at of occurrences(text, key)) {
    for (const h of headers) {
      const start = at + key.length - h.length;
      if (
        start < 0 ||
        !startsWithIgnoreCase(text, h, start) ||
        !atLineStart(text, start)
      )
        continue;
      const found = value(text, skipSpaces(text, at + key.length));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** `(\S+)\s*$` (multiline) at `at`: one run of non-space characters, then only spaces to the end of its line. */
function tokenToLineEnd(text: string, at: number): string | undefined {
  if (at >= text.length) return undefined;
  let j = at;
  while (j < text.length && !isSpace(text.charCodeAt(j))) j++;
  return blank(text, j, lineEnd(text, j)) ? text.slice(at, j) : undefined;
}

/** `([0-9a-f]{7,40})\b` (case-insensitive) at `at`. */
function shaAt(text: string, at: number): string | undefined {
  let j = at;
  while (j < text.length && j - at <= 40 && isHexDigit(text.charCodeAt(j))) j++;
  const n = j - at;
  if (n < 7 || n > 40) return undefined;
  return j < text.length && isWordChar(text.charCodeAt(j))
    ? undefined
    : text.slice(at, j);
}

/** `/^\s*(?:caused-by-)?deployment:\s*(\S+)\s*$/im` */
export function deploymentReference(text: string): string | undefined {
  return firstHeaderValue(
    text,
    'deployment:',
    ['caused-by-deployment:', 'deployment:'],
    tokenToLineEnd,
  );
}

/** `/^\s*root[- ]cause:\s*([0-9a-f]{7,40})\b/im` */
export function rootCauseReference(text: string): string | undefined {
  return firstHeaderValue(
    text,
    'cause:',
    ['root-cause:', 'root cause:'],
    shaAt,
  );
}

/** `/\b<word>\b/i` for a lower-case ASCII `word`: found as a whole word, any case. */
export function containsWord(text: string, word: string): boolean {
  for (const at of occurrences(text, word)) {
    if (
      (at === 0 || !isWordChar(text.charCodeAt(at - 1))) &&
      !isWordChar(text.charCodeAt(at + word.length))
    )
      return true;
  }
  return false;
}

/** `/\bhot-?fix\b/i` */
export function mentionsHotfix(text: string): boolean {
  return containsWord(text, 'hotfix') || containsWord(text, 'hot-fix');
}

/** `/This reverts commit [0-9a-f]{7,40}/` (case-sensitive, as git writes it). */
export function mentionsRevertedCommit(text: string): boolean {
  const phrase = 'This reverts commit ';
  for (
    let at = text.indexOf(phrase);
    at !== -1;
    at = text.indexOf(phrase, at + 1)
  ) {
    let j = at + phrase.length;
    const from = j;
    while (j < text.length && j - from < 7 && isLowerHex(text.charCodeAt(j)))
      j++;
    if (j - from >= 7) return true;
  }
  return false;
}

function isLowerHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102);
}

/**
 * `/[@:]([0-9a-f]{7,40})$/` on text (an artifact id like pkg:oci/name@<sha>): reads at most its
 * last 41 characters (a separator and 40 digits), whatever its length.
 */
export function trailingSha(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  let i = text.length;
  while (i > 0 && text.length - i < 40 && isLowerHex(text.charCodeAt(i - 1)))
    i--;
  // the digits must run from just after a separator to the end: 7 to 40 of them
  const sep = i > 0 ? text.charCodeAt(i - 1) : 0;
  return text.length - i >= 7 && (sep === 64 /* @ */ || sep === 58) /* : */
    ? text.slice(i)
    : undefined;
}

/** The first line of a commit message (up to the first \n), read without splitting the whole text. */
export function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}

/** At most `max` characters of a value, for an error message (the rest is counted, not shown). */
export function preview(value: unknown, max = 80): string {
  let s: string;
  try {
    s =
      typeof value === 'string'
        ? JSON.stringify(value.length > max ? value.slice(0, max) : value)
        : String(JSON.stringify(value));
  } catch {
    s = typeof value;
  }
  if (typeof value === 'string' && value.length > max)
    return `${s.slice(0, -1)}…" (${value.length} characters)`;
  return s.length > max + 2
    ? `${s.slice(0, max)}… (${s.length} characters)`
    : s;
}

/** The longest piece of a payload quoted in a reason or an error message, in characters. */
export const MAX_QUOTED_TEXT = 100;

/** A payload value as a reason quotes it: text up to MAX_QUOTED_TEXT characters, a structure by its kind. */
export function clip(value: unknown): string {
  if (typeof value === 'string')
    return value.length > MAX_QUOTED_TEXT
      ? `${value.slice(0, MAX_QUOTED_TEXT)}… (${value.length} characters)`
      : value;
  if (value !== null && typeof value === 'object')
    return Array.isArray(value) ? '(an array)' : '(an object)';
  return String(value);
}

/** What a redacted secret is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are not redacted: a 1-3 character "secret" would blank out ordinary
 * words. Every secret the portal makes or asks for is far longer (generated passwords are 32
 * characters, keys and passphrases at least 32 in production).
 */
export const MIN_REDACTED_LENGTH = 4;

/**
 * Removes known secret values from text before it is stored or logged: run log lines, run errors,
 * history reasons (and with them audit events and scaffolder task logs, which are made from those).
 *
 * Plain string search and replace of each known value (split/join), never a pattern built from
 * the values: the cost is linear in the text's length for each secret. Longer secrets go first, so
 * a secret that contains another (an admin URL and its password) is removed whole. Each value is
 * also removed in its URL-encoded form, the way it appears inside a connection string.
 */
export class Redactor {
  private readonly values = new Set<string>();
  private sorted: string[] = [];

  constructor(secrets: Iterable<unknown> = []) {
    this.add(secrets);
  }

  /** Adds secrets; values that are not strings (or too short to redact safely) are skipped. */
  add(secrets: Iterable<unknown>): this {
    let changed = false;
    for (const secret of secrets) {
      if (typeof secret !== 'string') continue;
      for (const form of [secret, safeEncode(secret)]) {
        if (
          form &&
          form.length >= MIN_REDACTED_LENGTH &&
          !this.values.has(form)
        ) {
          this.values.add(form);
          changed = true;
        }
      }
    }
    if (changed)
      this.sorted = [...this.values].sort((a, b) => b.length - a.length);
    return this;
  }

  /** A new redactor with this one's secrets and `secrets`. */
  with(secrets: Iterable<unknown>): Redactor {
    return new Redactor(this.values).add(secrets);
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.sorted) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}

/** The secrets inside a PostgreSQL URL: the whole URL and its password (decoded and as written). */
export function connectionStringSecrets(url: string | undefined): string[] {
  if (!url) return [];
  const out = [url];
  try {
    const parsed = new URL(url);
    if (parsed.password)
      out.push(parsed.password, decodeURIComponent(parsed.password));
  } catch {
    // not a URL: the whole value is still redacted
  }
  return out;
}

function safeEncode(value: string): string | undefined {
  const encoded = encodeURIComponent(value);
  return encoded === value ? undefined : encoded;
}

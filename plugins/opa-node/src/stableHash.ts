import { createHash } from 'node:crypto';

/** A hash of a JSON value that does not depend on key order. */
export function stableHash(value: unknown): string {
  return createHash('sha1').update(stableStringify(value)).digest('base64');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${stableStringify(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

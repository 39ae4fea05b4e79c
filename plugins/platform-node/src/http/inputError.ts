import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * A field's name as an error message shows it: a plain dotted path as it is; any other name (a
 * space, a colon, a non-ASCII character: someone's unknown key) in JSON quotes; at most 100
 * characters of it.
 */
export function fieldName(path: PropertyKey[]): string {
  const name = path.map(p => String(p)).join('.') || 'body';
  const short = name.length > 100 ? `${name.slice(0, 100)}…` : name;
  return /^[A-Za-z0-9_$.\[\]-]+$/.test(short) ? short : JSON.stringify(short);
}

/**
 * The first problem of a zod parse as a 400 that names the field and the rule ("field: rule"); an
 * unknown field of a strict object is named itself.
 */
export function inputError(error: z.ZodError): InputError {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    return new InputError(
      `${fieldName([
        ...issue.path,
        issue.keys[0],
      ])}: is not a field of this request`,
    );
  }
  return new InputError(`${fieldName(issue.path)}: ${issue.message}`);
}

/** Parses `value` with `schema`, or throws the {@link inputError} of its first problem. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw inputError(parsed.error);
  return parsed.data;
}

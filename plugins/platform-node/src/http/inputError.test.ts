import { z } from 'zod';
import { fieldName, inputError, parseInput } from './inputError';

describe('inputError', () => {
  const schema = z
    .object({
      name: z.string().min(1, 'must not be empty'),
      ttl: z.number().optional(),
    })
    .strict();

  it('names the field and the rule of the first problem', () => {
    const r = schema.safeParse({ name: '' });
    expect(r.success).toBe(false);
    const e = inputError((r as { error: z.ZodError }).error);
    expect(e.name).toBe('InputError');
    expect(e.message).toBe('name: must not be empty');
  });

  it('names an unknown field itself, quoted when it is not a plain name', () => {
    const r = schema.safeParse({ name: 'a', 'bad key': 1 });
    expect(inputError((r as { error: z.ZodError }).error).message).toBe(
      '"bad key": is not a field of this request',
    );
  });

  it('says "body" when the whole value is wrong, and clips long names', () => {
    expect(() => parseInput(schema, 'text')).toThrow(/^body: /);
    expect(fieldName(['x'.repeat(150)])).toBe(
      JSON.stringify(`${'x'.repeat(100)}…`),
    );
  });

  it('returns the parsed value when it is valid', () => {
    expect(parseInput(schema, { name: 'a', ttl: 2 })).toEqual({
      name: 'a',
      ttl: 2,
    });
  });
});

/*
 * The request bodies' schemas, through parseInput: a 400 naming the field and the rule, an
 * unknown field named itself.
 */
import { parseInput } from '@internal/plugin-platform-node';
import { createRequestSchema, extendRequestSchema } from './requestSchemas';

const valid = {
  name: 'pay-db',
  blueprint: 'postgres-sandbox',
  owner: 'group:default/payments',
};

describe('request schemas', () => {
  it('takes a valid request, with variables defaulting to none', () => {
    expect(parseInput(createRequestSchema, valid)).toEqual({
      ...valid,
      variables: {},
    });
    expect(parseInput(extendRequestSchema, { hours: 24 })).toEqual({
      hours: 24,
    });
  });

  it.each([
    [{ name: 'Pay_DB' }, /^name: must be lower case words joined by dashes$/],
    [{ name: 'a'.repeat(41) }, /^name: must be at most 40 characters$/],
    [{ blueprint: '../x' }, /^blueprint: must be a blueprint name$/],
    [{ owner: 'payments' }, /^owner: must be a group entity ref/],
    [{ size: 'X L' }, /^size: must be a size name$/],
    [{ ttlHours: 1.5 }, /^ttlHours: must be a whole number of hours$/],
    [{ ttlHours: 0 }, /^ttlHours: must be at least 1$/],
    [{ ttlHours: 8761 }, /^ttlHours: must be at most 8760$/],
    [{ requestedBy: 'user:default/ben' }, /^requestedBy: is not a field/],
  ])('refuses %j with the field and the rule', (change, message) => {
    expect(() =>
      parseInput(createRequestSchema, { ...valid, ...change }),
    ).toThrow(message);
  });

  it.each([
    [{}, /^hours: /],
    [{ hours: -1 }, /^hours: must be at least 1$/],
    [{ hours: 24, by: 'me' }, /^by: is not a field of this request$/],
  ])('refuses the extension %j', (body, message) => {
    expect(() => parseInput(extendRequestSchema, body)).toThrow(message);
  });
});

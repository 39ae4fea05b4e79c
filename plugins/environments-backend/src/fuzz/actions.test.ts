/*
 * Fuzz suite of what people do to an environment (fast-check, fixed seed): extend, approve and
 * reject, with any body in any encoding, on any id, through a whole backend; the properties each
 * answer must have are in src/__testUtils__/fuzz/harness.ts.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import fc from 'fast-check';
import {
  E,
  fuzzBackend,
  RUNS,
  SEED,
  user,
} from '../__testUtils__/fuzz/harness';
import { encoding, json } from '../__testUtils__/fuzz/sending';
import {
  anyValue,
  hours,
  unknownKey,
  withOwnKey,
} from '../__testUtils__/fuzz/values';

describe('environments API fuzz: actions', () => {
  const fuzz = fuzzBackend('actions');

  it(
    'POST /environments/:id/extend: any body, on any id',
    () =>
      fuzz.timed(() =>
        fc.assert(
          fc.asyncProperty(
            user,
            fuzz.target(),
            fc.oneof(
              {
                weight: 4,
                arbitrary: fc.record({ hours }, { requiredKeys: [] }),
              },
              {
                weight: 1,
                arbitrary: fc
                  .tuple(unknownKey, anyValue)
                  .map(([k, v]) => withOwnKey({ hours: 1 }, k, v)),
              },
              { weight: 1, arbitrary: anyValue },
            ),
            encoding,
            fc.nat(9),
            async (who, id, body, encode, pick) => {
              await fuzz.check(
                'extend',
                'post',
                `${E}/environments/${id}/extend`,
                who,
                pick < 7 ? json(body) : encode(body),
              );
            },
          ),
          { seed: SEED + 2, numRuns: RUNS.extend, endOnFailure: true },
        ),
      ),
    300_000,
  );

  it(
    'POST /environments/:id/approve and /reject: any body, on any id',
    () =>
      fuzz.timed(() =>
        fc.assert(
          fc.asyncProperty(
            user,
            fc.constantFrom('approve', 'reject'),
            fc.nat(9),
            fc.oneof(
              {
                weight: 3,
                arbitrary: fc.record(
                  { reason: fc.oneof(fc.string({ maxLength: 600 }), anyValue) },
                  { requiredKeys: [] },
                ),
              },
              {
                weight: 1,
                arbitrary: fc
                  .tuple(unknownKey, anyValue)
                  .map(([k, v]) => withOwnKey({}, k, v)),
              },
              { weight: 1, arbitrary: anyValue },
            ),
            encoding,
            async (who, decision, pick, body, encode) => {
              const id =
                pick < 6
                  ? fuzz.fixtures.pending
                  : [
                      fuzz.fixtures.active,
                      fuzz.fixtures.other,
                      'not-an-id',
                      '%E0%A4%A',
                    ][pick - 6];
              const res = await fuzz.check(
                'decide',
                'post',
                `${E}/environments/${id}/${decision}`,
                who,
                pick % 3 === 0 ? encode(body) : json(body),
              );
              if (res.status === 200) await fuzz.newPending();
            },
          ),
          { seed: SEED + 3, numRuns: RUNS.decide, endOnFailure: true },
        ),
      ),
    300_000,
  );
});

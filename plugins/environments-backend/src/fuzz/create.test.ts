/*
 * Fuzz suite of POST /environments (fast-check, fixed seed): generated bodies of every shape and
 * type, sent as JSON and in every encoding, charset, size and malformed form, through a whole
 * backend; the properties each answer must have are in src/__testUtils__/fuzz/harness.ts.
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
import { createBody } from '../__testUtils__/fuzz/values';

describe('environments API fuzz: requests', () => {
  const fuzz = fuzzBackend('requests');

  it(
    'POST /environments: any body shape and type',
    () =>
      fuzz.timed(() =>
        fc.assert(
          fc.asyncProperty(user, createBody, async (who, body) => {
            await fuzz.check(
              'create',
              'post',
              `${E}/environments`,
              who,
              json(body),
            );
            await fuzz.created();
          }),
          { seed: SEED, numRuns: RUNS.create, endOnFailure: true },
        ),
      ),
    300_000,
  );

  it(
    'POST /environments: any encoding, charset, size and malformed JSON',
    () =>
      fuzz.timed(() =>
        fc.assert(
          fc.asyncProperty(
            user,
            createBody,
            encoding,
            async (who, body, encode) => {
              await fuzz.check(
                'create',
                'post',
                `${E}/environments`,
                who,
                encode(body),
              );
            },
          ),
          { seed: SEED + 1, numRuns: RUNS.encodings, endOnFailure: true },
        ),
      ),
    300_000,
  );
});

/*
 * Fuzz suite of the lists' query strings (fast-check, fixed seed): environments, runs, history,
 * logs and blueprints with any query string, through a whole backend; the properties each answer
 * must have are in src/__testUtils__/fuzz/harness.ts.
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
import { queryString } from '../__testUtils__/fuzz/sending';

describe('environments API fuzz: lists', () => {
  const fuzz = fuzzBackend('lists');

  it(
    'GET lists: any query string',
    () =>
      fuzz.timed(() =>
        fc.assert(
          fc.asyncProperty(
            user,
            fc.constantFrom(
              () => `${E}/environments`,
              () => `${E}/environments/${fuzz.fixtures.active}/runs`,
              () => `${E}/environments/${fuzz.fixtures.active}/history`,
              () =>
                `${E}/environments/${fuzz.fixtures.active}/runs/${fuzz.fixtures.run}/logs`,
              () =>
                `${E}/environments/${fuzz.fixtures.pending}/runs/${fuzz.fixtures.run}/logs`,
              () => `${E}/blueprints`,
            ),
            queryString,
            async (who, path, query) => {
              await fuzz.check('list', 'get', `${path()}?${query}`, who);
            },
          ),
          { seed: SEED + 4, numRuns: RUNS.lists, endOnFailure: true },
        ),
      ),
    300_000,
  );
});

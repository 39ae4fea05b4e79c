/*
 * Adversarial GitLab bodies up to the webhook body limit are normalised in under 50 ms, each time
 * growing linearly with the size, doubling from 1/16 of the limit (issue 11, item 3). The bodies
 * are in src/__testUtils__/adversarialBodies.ts, the timing and its robustness on a busy machine in
 * src/__testUtils__/adversarialTiming.ts.
 */
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../limits';
import { adversarialCases } from '../__testUtils__/adversarialBodies';
import {
  expectLinearWithinLimit,
  LIMIT_MS,
} from '../__testUtils__/adversarialTiming';

describe(`adversarial GitLab bodies up to the ${DEFAULT_MAX_PAYLOAD_BYTES}-byte webhook limit are normalised in under ${LIMIT_MS} ms`, () => {
  it.each(adversarialCases('gitlab').map(c => [c.name, c]))('%s', (_name, c) =>
    expectLinearWithinLimit(c),
  );
});

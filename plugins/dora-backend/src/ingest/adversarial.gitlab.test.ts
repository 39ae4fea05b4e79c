/*
 * Adversarial GitLab bodies up to the webhook body limit are normalised in under 50 ms, each growing
 * linearly with its size (issue 11, item 3). The bodies are in src/testing/adversarialBodies.ts, the
 * timing and its robustness on a busy machine in src/testing/adversarialTiming.ts.
 */
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../limits';
import { adversarialCases } from '../testing/adversarialBodies';
import {
  expectNormalisedFastAndLinearly,
  LIMIT_MS,
} from '../testing/adversarialTiming';

describe(`adversarial GitLab bodies up to the ${DEFAULT_MAX_PAYLOAD_BYTES}-byte webhook limit are normalised in under ${LIMIT_MS} ms`, () => {
  it.each(adversarialCases('gitlab').map(c => [c.name, c]))('%s', (_name, c) =>
    expectNormalisedFastAndLinearly(c),
  );
});

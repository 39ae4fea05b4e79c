/*
 * Adversarial GitHub bodies up to the webhook body limit are normalised in under 50 ms, each time
 * growing linearly with the size, doubling from 1/16 of the limit (issue 11, item 3). The bodies
 * are in src/__testUtils__/adversarialBodies.ts, the timing and its robustness on a busy machine in
 * src/__testUtils__/adversarialTiming.ts.
 */
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../limits';
import {
  adversarialCases,
  githubIssue,
  gitlabMergeRequest,
} from '../__testUtils__/adversarialBodies';
import {
  filled,
  expectLinearWithinLimit,
  LIMIT_MS,
  normalise,
} from '../__testUtils__/adversarialTiming';
import { isHotfix } from './events';

describe(`adversarial GitHub bodies up to the ${DEFAULT_MAX_PAYLOAD_BYTES}-byte webhook limit are normalised in under ${LIMIT_MS} ms`, () => {
  it.each(adversarialCases('github').map(c => [c.name, c]))('%s', (_name, c) =>
    expectLinearWithinLimit(c),
  );

  it('builds bodies at the limit that the normaliser reads as intended', () => {
    const issue = filled(
      githubIssue,
      '\n',
      DEFAULT_MAX_PAYLOAD_BYTES,
      'Deployment: 42\nRoot-cause: abcdef1',
    );
    expect(Buffer.byteLength(issue)).toBeGreaterThan(
      DEFAULT_MAX_PAYLOAD_BYTES - 10,
    );
    expect(
      normalise({
        sourceType: 'github',
        eventType: 'issues',
        payload: issue,
        receivedAt: 0,
      }),
    ).toEqual({
      events: [
        expect.objectContaining({
          kind: 'incident',
          deploymentRef: '42',
          rootCauseSha: 'abcdef1',
        }),
      ],
    });
    const mr = filled(
      gitlabMergeRequest,
      'hotfi ',
      DEFAULT_MAX_PAYLOAD_BYTES,
      'hotfix',
    );
    const n = normalise({
      sourceType: 'gitlab',
      eventType: 'Merge Request Hook',
      payload: mr,
      receivedAt: 0,
    });
    expect('events' in n && isHotfix((n.events[0] as any).title)).toBe(true);
  });
});

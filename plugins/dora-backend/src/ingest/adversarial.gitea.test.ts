/*
 * Adversarial Gitea bodies up to the webhook body limit are normalised in under 50 ms, each time
 * growing linearly with the size, doubling from 1/16 of the limit (issue 11, item 3): issue bodies,
 * pull request titles, commit messages and release names, tags and targets filled with the texts of
 * src/__testUtils__/adversarialBodies.ts (the Gitea bodies in src/__testUtils__/giteaPayloads.ts),
 * timed as src/__testUtils__/adversarialTiming.ts does.
 */
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../limits';
import {
  filled,
  expectLinearWithinLimit,
  LIMIT_MS,
  normalise,
} from '../__testUtils__/adversarialTiming';
import {
  giteaAdversarialCases,
  giteaPayloads,
} from '../__testUtils__/giteaPayloads';

describe(`adversarial Gitea bodies up to the ${DEFAULT_MAX_PAYLOAD_BYTES}-byte webhook limit are normalised in under ${LIMIT_MS} ms`, () => {
  it.each(giteaAdversarialCases().map(c => [c.name, c]))('%s', (_name, c) =>
    expectLinearWithinLimit(c),
  );

  it('builds bodies at the limit that the normaliser reads as intended', () => {
    const g = giteaPayloads('acme/node-hello', new Date(0));
    const issue = filled(
      t => g.issue(7, { openedH: 0, body: t }).body,
      '\n',
      DEFAULT_MAX_PAYLOAD_BYTES,
      'Deployment: 42\nRoot-cause: abcdef1',
    );
    expect(Buffer.byteLength(issue)).toBeGreaterThan(
      DEFAULT_MAX_PAYLOAD_BYTES - 10,
    );
    expect(
      normalise({
        sourceType: 'gitea',
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
    const release = filled(
      t => g.release(9, { atH: 0, tag: 'v1', name: t }).body,
      'rollbac ',
      DEFAULT_MAX_PAYLOAD_BYTES,
      'rollback',
    );
    expect(
      normalise({
        sourceType: 'gitea',
        eventType: 'release',
        payload: release,
        receivedAt: 0,
      }),
    ).toEqual({
      events: [expect.objectContaining({ kind: 'deployment', rollback: true })],
    });
  });
});

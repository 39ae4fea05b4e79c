/*
 * The job that reads the scorecards from git (dora.scorecards.url): its schedule (every replica,
 * dora.scorecards.refreshFrequency, from start), and a pass with Backstage's real URL reader on a
 * forge where nothing listens: the task does not fail, the reader warns naming the URL. Reading
 * the real Gitea is tested in src/scorecards/ScorecardTreeReader.test.ts.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { freePort } from '@internal/plugin-platform-node';
import { realUrlReader } from '../__testUtils__/urlReader';
import { ScorecardDefinitions } from '../scorecards/ScorecardDefinitions';
import { ScorecardTreeReader } from '../scorecards/ScorecardTreeReader';
import { ScorecardDefinitionsJob } from './ScorecardDefinitionsJob';

describe('ScorecardDefinitionsJob', () => {
  it('is scheduled on every replica from start, and a failed read does not fail the task', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const url = `http://${host}/acme/platform/src/branch/main/scorecards`;
    const logger = mockServices.logger.mock();
    const definitions = ScorecardDefinitions.empty(logger);
    const urlReader = await realUrlReader({
      integrations: {
        gitea: [{ host, baseUrl: `http://${host}`, username: 'portal-admin' }],
      },
    });
    const scheduler = mockServices.scheduler.mock();
    await new ScorecardDefinitionsJob({
      scheduler,
      reader: new ScorecardTreeReader({ urlReader, url, definitions, logger }),
      frequency: { minutes: 5 },
    }).schedule();
    const task = scheduler.scheduleTask.mock.calls[0][0];
    expect(task).toMatchObject({
      id: 'dora-scorecard-definitions',
      scope: 'local',
      frequency: { minutes: 5 },
      timeout: { minutes: 2 },
    });
    expect(task.initialDelay).toBeUndefined();

    await expect(
      task.fn(new AbortController().signal),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(`could not read ${url}`),
    );
    expect(definitions.loaded()).toBe(false);
    expect(definitions.errors()).toEqual([
      { file: url, message: expect.stringContaining('could not be read') },
    ]);
  });
});

/*
 * The run worker job on PostgreSQL and SQLite, with the real OpenTofu on the workspace blueprint
 * (state in a folder): the task it schedules from environments.runs, a run that starts as soon as
 * this replica queues it, and one queued while not listening that the poll picks up.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { findTool } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TofuRunner } from '../runner/TofuRunner';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { jobContext, repositoryBlueprints } from '../__testUtils__/jobFixtures';
import {
  allow,
  newEnvironment,
  storeDatabases,
} from '../__testUtils__/storeFixtures';
import { RunWorkerJob } from './RunWorkerJob';

const databases = storeDatabases();

describe.each(databases.eachSupportedId())('RunWorkerJob on %p', databaseId => {
  let store: EnvironmentStore;
  let runner: TofuRunner;
  let work: string;

  beforeAll(async () => {
    store = await EnvironmentStore.create(await databases.init(databaseId));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'run-worker-job-'));
    runner = new TofuRunner({
      binary: (await findTool(new ConfigReader({}), 'tofu')).path,
      workRoot: path.join(work, 'work'),
      state: { type: 'local', dir: path.join(work, 'state') },
      stateEncryptionPassphrase: 'run-worker-job-test-passphrase',
    });
  });

  afterAll(async () => {
    await runner?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('polls on every replica and works a run queued here at once, one queued elsewhere at the poll', async () => {
    const job = jobContext({
      runs: { pollInterval: '1s', heartbeatInterval: '500ms' },
    });
    const lifecycle = mockServices.lifecycle.mock();
    const worker = await RunWorkerJob.start(job, {
      store,
      blueprints: repositoryBlueprints(),
      runner,
      lifecycle,
    });
    expect(job.task()).toEqual({
      id: 'environments-worker',
      scope: 'local',
      frequency: { seconds: 1 },
      timeout: { minutes: 1 },
      fn: expect.any(Function),
    });
    const workspace = () =>
      store.admit(
        newEnvironment({ blueprint: 'workspace', variables: {} }),
        allow,
      );
    const stateOf = async (id: string) => (await store.get(id)).state;

    // Queued by this replica: the worker is kicked by the queue's listener, no poll needed.
    const here = (await workspace()).environment;
    for (let i = 0; i < 600 && (await stateOf(here.id)) !== 'active'; i++)
      await new Promise(r => setTimeout(r, 100));
    expect(await stateOf(here.id)).toBe('active');
    const [apply] = await store.runs.list(here.id);
    expect(apply).toMatchObject({
      kind: 'apply',
      state: 'succeeded',
      claimedBy: `${os.hostname()}:${process.pid}`,
    });

    // After shutdown the listener is gone; a queued run waits for the poll.
    const [unsubscribe] = lifecycle.addShutdownHook.mock.calls[0];
    await (unsubscribe as () => unknown)();
    const elsewhere = (await workspace()).environment;
    expect(await stateOf(elsewhere.id)).toBe('queued');
    await job.runTask();
    expect(await stateOf(elsewhere.id)).toBe('active');
    await worker.run(); // nothing left: resolves at once
  }, 120_000);
});

/*
 * publishSignals with the real store on PostgreSQL 15 and SQLite, and the real signals service of
 * @backstage/plugin-signals-node publishing on the real (in-process) events service: the test
 * reads what the signals backend would receive, on the `signals` topic.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import { DefaultSignalsService } from '@backstage/plugin-signals-node';
import { Knex } from 'knex';
import {
  allow,
  newEnvironment,
  storeDatabases,
} from '../__testUtils__/storeFixtures';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { publishSignals } from './publishSignals';

const databases = storeDatabases();

interface Published {
  recipients: unknown;
  channel: string;
  message: Record<string, unknown>;
}

async function until<T>(what: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting for signals');
    await new Promise(r => setTimeout(r, 20));
  }
}

describe.each(databases.eachSupportedId())(
  'publishSignals on %p, through the real signals and events services',
  databaseId => {
    let knex: Knex;
    let store: EnvironmentStore;
    let published: Published[];
    let stop: () => void;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await EnvironmentStore.create(knex);
      const events = DefaultEventsService.create({
        logger: mockServices.logger.mock(),
        useEventBus: 'never',
      });
      await events.forPlugin('signals').subscribe({
        id: 'browser',
        topics: ['signals'],
        onEvent: async p => {
          published.push(p.eventPayload as Published);
        },
      });
      const signals = DefaultSignalsService.create({
        events: events.forPlugin('environments'),
      });
      stop = publishSignals(store, signals, undefined, { logThrottleMs: 200 });
    });

    beforeEach(() => {
      published = [];
    });

    afterAll(() => stop());

    const messages = () => published.map(p => p.message);

    /** Claims runs (earlier tests' too) until it has the queued run of `environmentId`. */
    const claimRunOf = async (environmentId: string, worker: string) => {
      for (;;) {
        const run = (await store.runs.claim(worker))!;
        expect(run).toBeDefined();
        if (run.environmentId === environmentId) return run;
      }
    };

    it('broadcasts every committed state change on `environments` with only the id, state and version', async () => {
      const { environment } = await store.admit(
        newEnvironment({ variables: { purpose: 'secret-looking' } }),
        allow,
      );
      await store.transition(environment.id, 'provisioning', {
        actor: 'system:test',
      });
      const sent = await until(() =>
        published.length >= 3 ? published : undefined,
      );
      expect(sent.map(p => [p.channel, p.recipients])).toEqual(
        Array(3).fill(['environments', { type: 'broadcast' }]),
      );
      expect(messages()).toEqual([
        { id: environment.id, state: 'requested', version: 0 },
        { id: environment.id, state: 'queued', version: 0 },
        { id: environment.id, state: 'provisioning', version: 1 },
      ]);
      expect(JSON.stringify(published)).not.toMatch(
        /secret-looking|payments|env-|dev/,
      );
    });

    it('signals a run that is claimed, its appended log lines, and its end, with the environment id', async () => {
      const { environment } = await store.admit(newEnvironment(), allow);
      const id = environment.id;
      const run = await claimRunOf(id, 'w1');
      await store.runs.appendLog(run.id, [
        { level: 'info', message: 'TF_VAR_password=hunter2' },
      ]);
      await store.runs.finish(run.id, 'w1', 'succeeded');
      await until(() =>
        messages().some(m => m.runState === 'succeeded') ? true : undefined,
      );
      const about = messages().filter(m => m.runId === run.id);
      expect(about).toEqual([
        { id, runId: run.id, runState: 'running' },
        { id, runId: run.id },
        { id, runId: run.id, runState: 'succeeded' },
      ]);
      expect(JSON.stringify(published)).not.toContain('hunter2');
    });

    it('throttles a chatty run: a signal for the first lines at once, at most one per 200 ms, and one after the last lines', async () => {
      const { environment } = await store.admit(newEnvironment(), allow);
      const run = await claimRunOf(environment.id, 'w2');
      await until(() => (published.length >= 3 ? true : undefined));
      published = [];
      const started = Date.now();
      for (let i = 0; i < 25; i++) {
        await store.runs.appendLog(run.id, [
          { level: 'info', message: `line ${i}` },
        ]);
        await new Promise(r => setTimeout(r, 40));
      }
      const lastAppend = Date.now();
      expect(await store.runs.logs(run.id)).toHaveLength(25);
      await new Promise(r => setTimeout(r, 600));
      const logSignals = published.filter(
        p => p.message.runId === run.id && !('runState' in p.message),
      );
      expect(logSignals[0].message).toEqual({
        id: environment.id,
        runId: run.id,
      });
      const elapsed = lastAppend - started;
      expect(logSignals.length).toBeGreaterThanOrEqual(2);
      expect(logSignals.length).toBeLessThanOrEqual(
        Math.ceil(elapsed / 200) + 1,
      );
      expect(logSignals.length).toBeLessThan(25);
    });

    it('the trailing signal comes after the last lines were stored', async () => {
      const { environment } = await store.admit(newEnvironment(), allow);
      const run = await claimRunOf(environment.id, 'w3');
      await store.runs.appendLog(run.id, [{ level: 'info', message: 'a' }]);
      await until(() =>
        published.some(p => p.message.runId === run.id && !p.message.runState)
          ? true
          : undefined,
      );
      published = [];
      await store.runs.appendLog(run.id, [{ level: 'info', message: 'b' }]);
      await store.runs.appendLog(run.id, [{ level: 'info', message: 'c' }]);
      expect(published).toEqual([]);
      const trailing = await until(() => published[0]);
      expect(trailing.message).toEqual({
        id: run.environmentId,
        runId: run.id,
      });
    });

    it('publishes nothing more once unsubscribed', async () => {
      stop();
      await store.admit(newEnvironment(), allow);
      await new Promise(r => setTimeout(r, 300));
      expect(published).toEqual([]);
    });
  },
);

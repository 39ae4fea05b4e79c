/*
 * The vending service when OpenTofu fails, on PostgreSQL and SQLite, with a real OPA and the real
 * OpenTofu (src/__testUtils__/lifecycleHarness.ts): a failed apply cleaned up by a destroy, a destroy
 * that keeps failing retried with backoff, quarantined, audited, and retried by a person.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { ben, lifecycleHarness } from '../__testUtils__/lifecycleHarness';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'environment lifecycle failures on %p',
  databaseId => {
    const h = lifecycleHarness(databases, databaseId);

    it('destroys what a failed apply left, keeps its logs, and ends destroyed', async () => {
      const { environment } = await h.service.create(ben, {
        name: 'broken',
        blueprint: 'fails-apply',
        owner: 'group:default/platform',
      });
      await h.worker.drain();
      expect((await h.store.get(environment.id)).state).toBe('destroyed');
      const runs = await h.store.runs.list(environment.id);
      expect(runs.map(r => `${r.kind}:${r.state}`)).toEqual([
        'apply:failed',
        'destroy:succeeded',
      ]);
      const applyLog = (await h.store.runs.logs(runs[0].id))
        .map(l => l.message)
        .join('\n');
      expect(applyLog).toMatch(/local-exec provisioner error/);
      // The destroy removed what the failed apply had created (terraform_data.ok), and nothing is left in its state.
      const destroyLog = (await h.store.runs.logs(runs[1].id))
        .map(l => l.message)
        .join('\n');
      expect(destroyLog).toMatch(/terraform_data\.ok: Destruction complete/);
      expect(destroyLog).toMatch(/Destroy complete! Resources: [12] destroyed/);
      expect(
        (await h.store.history.list(environment.id)).map(row => row.to),
      ).toContain('destroying');
    }, 120_000);

    it('retries a failing destroy with backoff and quarantines it, never marking it destroyed', async () => {
      const { environment } = await h.service.create(ben, {
        name: 'sticky',
        blueprint: 'fails-destroy',
        owner: 'group:default/platform',
      });
      await h.worker.drain();
      expect((await h.store.get(environment.id)).state).toBe('active');
      await h.service.destroy(ben, environment.id);
      for (let i = 0; i < 3; i++) {
        await h.worker.drain();
        await new Promise(r => setTimeout(r, 30)); // the backoff
      }
      await h.worker.drain();
      const env = await h.store.get(environment.id);
      expect(env.state).toBe('quarantined');
      const destroys = (await h.store.runs.list(environment.id)).filter(
        r => r.kind === 'destroy',
      );
      expect(destroys.map(r => `${r.attempt}:${r.state}`)).toEqual([
        '1:failed',
        '2:failed',
        '3:failed',
      ]);
      expect(
        (await h.store.history.list(environment.id)).map(row => row.to),
      ).not.toContain('destroyed');
      expect(h.audited(environment.id).slice(-1)).toEqual([
        'destroying>quarantined by system:test-worker',
      ]);
      expect(h.auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'environment-state-change',
          severityLevel: 'high',
          meta: expect.objectContaining({
            environment: environment.id,
            to: 'quarantined',
            reason: expect.stringMatching(/destroy/),
          }),
        }),
      );

      // A person retries it: a fresh destroy from attempt 1. Only a quarantined one can be retried.
      const retried = await h.service.retry(ben, environment.id);
      expect(retried.state).toBe('destroying');
      expect(
        (await h.store.runs.list(environment.id)).filter(
          r => r.kind === 'destroy' && r.state === 'queued',
        ),
      ).toEqual([expect.objectContaining({ attempt: 1 })]);
      await expect(h.service.retry(ben, environment.id)).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          "only a quarantined environment's destroy can be retried; this one is destroying",
      });
      expect(
        (await h.store.history.list(environment.id)).slice(-1)[0],
      ).toMatchObject({
        from: 'quarantined',
        to: 'destroying',
        actor: 'user:default/ben',
        reason: 'destroy retried',
      });
    }, 180_000);
  },
);

/*
 * environment:create against a real environments backend (real OPA and OpenTofu, the workspace
 * blueprint), run through the upstream mock action context.
 */
import {
  checkpointStore,
  exampleSteps,
  runAction,
} from '@internal/backend-test-utils';
import {
  scaffolderServices,
  startEnvironmentsBackend,
} from '../__testUtils__/backend';
import { createEnvironmentCreateAction } from './create';

const input = (name: string, more: object = {}) => ({
  name,
  blueprint: 'workspace',
  owner: 'group:default/payments',
  wait: false,
  timeoutMinutes: 1,
  ...more,
});

describe('environment:create', () => {
  const scaffolder = scaffolderServices();
  let env: Awaited<ReturnType<typeof startEnvironmentsBackend>>;
  const action = () =>
    createEnvironmentCreateAction({
      client: scaffolder.client(),
      appBaseUrl: 'http://localhost:3000',
      pollIntervalMs: 200,
    });

  beforeAll(async () => {
    env = await startEnvironmentsBackend({ features: [scaffolder.feature] });
  }, 60_000);
  afterAll(() => env?.stop());

  it('requests an environment once per task: a recovered task (same checkpoints) gets the same one back, a new task requests another', async () => {
    const store = checkpointStore();
    const first = await runAction(action(), input('ckpt-once'), { store });
    expect(first.error).toBeUndefined();
    expect(first.outputs).toEqual({
      id: expect.any(String),
      url: `http://localhost:3000/environments/${first.outputs.id}`,
      state: 'queued',
    });
    expect(first.log).toContain(`requested ckpt-once (${first.outputs.id})`);

    // the task is recovered after a restart: the step runs again with the task's checkpoints
    const again = await runAction(action(), input('ckpt-once'), { store });
    expect(again.outputs.id).toBe(first.outputs.id);
    expect(
      (await env.all()).filter(e => e.name === 'ckpt-once').map(e => e.id),
    ).toEqual([first.outputs.id]);
    expect([...store.values.keys()]).toEqual(['environment.create.ckpt-once']);

    // another task (its own checkpoints) is another request
    const other = await runAction(action(), input('ckpt-once'), {
      store: checkpointStore(),
    });
    expect(other.outputs.id).not.toBe(first.outputs.id);
    expect(
      (await env.all()).filter(e => e.name === 'ckpt-once').map(e => e.id),
    ).toHaveLength(2);
    for (const id of [first.outputs.id, other.outputs.id])
      await env.until(id as string, 'active');
  }, 90_000);

  it('waits until the environment is active, with the run log in the task log', async () => {
    const { outputs, log, error } = await runAction(
      action(),
      input('ckpt-wait', { wait: true }),
      { store: checkpointStore() },
    );
    expect(error).toBeUndefined();
    expect(outputs.state).toBe('active');
    expect(log).toMatch(/environment ckpt-wait is active/);
    expect(log).toMatch(/\[apply\] Apply complete!/);
  }, 90_000);

  it("ends at once when the request waits for approval, with the guardrails' reason", async () => {
    // a developer may set 168 hours on a workspace; over that, a platform engineer approves
    const { outputs, log, error } = await runAction(
      action(),
      input('ckpt-long', { ttlHours: 200, wait: true }),
      { store: checkpointStore() },
    );
    expect(error).toBeUndefined();
    expect(outputs.state).toBe('pending_approval');
    expect(log).toMatch(
      /pending_approval \(a TTL of 200 hours is over the 168 hours a developer may set/,
    );
  }, 30_000);

  it("fails on a TTL over the blueprint's maximum, and keeps no checkpoint, so a retry asks again", async () => {
    const store = checkpointStore();
    const { error } = await runAction(
      action(),
      input('ckpt-over', { ttlHours: 721 }),
      { store },
    );
    expect(error?.message).toBe(
      "The environments service refused the request (400): ttlHours: 721 is over workspace's maximum of 720 hours",
    );
    expect(error).toMatchObject({
      response: { status: 400 },
      body: {
        error: {
          message: "ttlHours: 721 is over workspace's maximum of 720 hours",
        },
      },
    });
    expect(store.values.size).toBe(0);
    expect((await env.all()).map(e => e.name)).not.toContain('ckpt-over');
  });

  it('dry-runs: checks the blueprint and requests nothing', async () => {
    const dry = await runAction(action(), input('ckpt-dry'), {
      store: checkpointStore(),
      dryRun: true,
    });
    expect(dry.outputs).toEqual({
      id: 'dry-run',
      state: 'dry-run',
      url: 'http://localhost:3000/environments',
    });
    expect(dry.log).toContain(
      'dry run: would request ckpt-dry from workspace for group:default/payments',
    );
    const bad = await runAction(
      action(),
      input('ckpt-dry', { blueprint: 'k8s-namespace' }),
      { store: checkpointStore(), dryRun: true },
    );
    // k8s-namespace is a pattern, not applied here
    expect(bad.error?.message).toMatch(
      /blueprint: 'k8s-namespace' is not a blueprint that can be requested \(blueprints: postgres-sandbox, workspace\)/,
    );
    expect((await env.all()).map(e => e.name)).not.toContain('ckpt-dry');
  });

  it('has examples that are steps of this action with fitting input', () => {
    const steps = exampleSteps(action());
    expect(steps.length).toBeGreaterThanOrEqual(3);
  });
});

/*
 * environment:destroy against a real environments backend (real OPA and OpenTofu, the workspace
 * blueprint), run through the upstream mock action context.
 */
import {
  checkpointStore,
  exampleSteps,
  runAction,
} from '@internal/backend-test-utils';
import {
  as,
  scaffolderServices,
  startEnvironmentsBackend,
} from '../__testUtils__/backend';
import { createEnvironmentDestroyAction } from './destroy';

describe('environment:destroy', () => {
  const scaffolder = scaffolderServices();
  let env: Awaited<ReturnType<typeof startEnvironmentsBackend>>;
  const action = () =>
    createEnvironmentDestroyAction({
      client: scaffolder.client(),
      pollIntervalMs: 200,
    });
  const activeEnvironment = async (name: string) => {
    const created = await env
      .api()
      .post('/api/environments/environments')
      .set('Authorization', as('dev'))
      .send({ name, blueprint: 'workspace', owner: 'group:default/payments' });
    const id: string = created.body.environment.id;
    await env.until(id, 'active');
    return id;
  };

  beforeAll(async () => {
    env = await startEnvironmentsBackend({ features: [scaffolder.feature] });
  }, 60_000);
  afterAll(() => env?.stop());

  it('asks for the destroy once per task: a recovered task waits for it instead of asking again (which is refused)', async () => {
    const id = await activeEnvironment('to-destroy');
    const store = checkpointStore();
    const input = { id, wait: false, timeoutMinutes: 1 };
    const first = await runAction(action(), input, { store });
    expect(first.error).toBeUndefined();
    expect(first.outputs).toEqual({ state: 'destroying' });

    // without the checkpoint, asking again is refused: the environment is no longer active
    const unchecked = await runAction(action(), input, {
      store: checkpointStore(),
    });
    expect(unchecked.error).toMatchObject({ response: { status: 409 } });

    // the recovered task (same checkpoints) waits for the destroy it asked for
    const recovered = await runAction(
      action(),
      { ...input, wait: true },
      { store },
    );
    expect(recovered.error).toBeUndefined();
    expect(recovered.outputs).toEqual({ state: 'destroyed' });
    expect(recovered.log).toMatch(/environment to-destroy is destroyed/);
    expect(recovered.log).toMatch(/\[destroy\] Destroy complete!/);
  }, 90_000);

  it('dry-runs without destroying', async () => {
    const id = await activeEnvironment('kept');
    const dry = await runAction(
      action(),
      { id, wait: true, timeoutMinutes: 1 },
      { store: checkpointStore(), dryRun: true },
    );
    expect(dry.outputs).toEqual({ state: 'dry-run' });
    expect(dry.log).toContain(`dry run: would destroy ${id}`);
    expect((await env.get(id)).state).toBe('active');
  }, 90_000);

  it('has examples that are steps of this action with fitting input', () => {
    expect(exampleSteps(action()).length).toBeGreaterThanOrEqual(2);
  });
});

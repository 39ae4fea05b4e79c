/*
 * environment:extend against a real environments backend (real OPA and OpenTofu, the workspace
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
import { createEnvironmentExtendAction } from './extend';

const hoursLater = (iso: string | undefined, hours: number) =>
  new Date(new Date(iso!).getTime() + hours * 3600_000).toISOString();

describe('environment:extend', () => {
  const scaffolder = scaffolderServices();
  let env: Awaited<ReturnType<typeof startEnvironmentsBackend>>;
  let id: string;
  const action = () =>
    createEnvironmentExtendAction({ client: scaffolder.client() });

  beforeAll(async () => {
    env = await startEnvironmentsBackend({ features: [scaffolder.feature] });
    const created = await env
      .api()
      .post('/api/environments/environments')
      .set('Authorization', as('dev'))
      .send({
        name: 'to-extend',
        blueprint: 'workspace',
        owner: 'group:default/payments',
      });
    id = created.body.environment.id;
    await env.until(id, 'active');
  }, 90_000);
  afterAll(() => env?.stop());

  it('extends once per task: a recovered task (same checkpoints) does not add the hours again', async () => {
    const before = await env.get(id);
    const store = checkpointStore();
    const first = await runAction(action(), { id, hours: 12 }, { store });
    expect(first.error).toBeUndefined();
    const expected = hoursLater(before.expiresAt, 12);
    expect(first.outputs).toEqual({ expiresAt: expected });
    expect(first.log).toContain(`to-extend now expires at ${expected}`);

    const again = await runAction(action(), { id, hours: 12 }, { store });
    expect(again.outputs).toEqual({ expiresAt: expected });
    expect((await env.get(id)).expiresAt).toBe(expected);

    // another task extends again
    const other = await runAction(
      action(),
      { id, hours: 12 },
      { store: checkpointStore() },
    );
    expect(other.outputs).toEqual({ expiresAt: hoursLater(expected, 12) });
  });

  it("is refused past the blueprint's maximum, with nothing kept", async () => {
    const store = checkpointStore();
    const { error } = await runAction(action(), { id, hours: 720 }, { store });
    expect(error).toMatchObject({
      response: { status: 400 },
      body: {
        error: {
          message: expect.stringMatching(
            /^hours: extending by 720 would make the environment live \d+ hours, over workspace's maximum of 720$/,
          ),
        },
      },
    });
    expect(store.values.size).toBe(0);
  });

  it('dry-runs without changing the expiry', async () => {
    const before = await env.get(id);
    const dry = await runAction(
      action(),
      { id, hours: 5 },
      { store: checkpointStore(), dryRun: true },
    );
    expect(dry.outputs).toEqual({ expiresAt: 'dry-run' });
    expect(dry.log).toContain(`dry run: would extend ${id} by 5 hours`);
    expect((await env.get(id)).expiresAt).toBe(before.expiresAt);
  });

  it('has examples that are steps of this action with fitting input', () => {
    expect(exampleSteps(action()).length).toBeGreaterThanOrEqual(1);
  });
});

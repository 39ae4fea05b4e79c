/*
 * An environment's working folder, without OpenTofu: the files written for a run, their modes,
 * the backend override for each state backend, and when `init` is due again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareWorkspace, safeId, stateLocation } from './workspace';

const ID = '0f1E2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

describe('workspace', () => {
  let root: string;
  let moduleDir: string;
  const run = (variables: Record<string, unknown> = { service: 'orders' }) => ({
    environmentId: ID,
    moduleDir,
    variables,
  });
  const json = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'workspace-test-'));
    moduleDir = path.join(root, 'module');
    fs.mkdirSync(path.join(moduleDir, 'nested'), { recursive: true });
    fs.writeFileSync(path.join(moduleDir, 'main.tf'), 'variable "x" {}\n');
    fs.writeFileSync(path.join(moduleDir, 'nested', 'ignored.tf'), '');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('keeps environment ids to [a-z0-9], at most 32 characters, and refuses an id with none', () => {
    expect(safeId(ID)).toBe('0f1e2d3c4b5a69788a9b0c1d2e3f4a5b');
    expect(safeId('../A b;c')).toBe('abc');
    expect(() => safeId('../;')).toThrow(/has no usable characters/);
    expect(stateLocation({ type: 'pg', connectionString: 'x' }, ID)).toEqual({
      schema: `env_${safeId(ID)}`,
    });
    expect(stateLocation({ type: 'local', dir: '/s' }, ID)).toEqual({
      file: `/s/${safeId(ID)}.tfstate`,
    });
  });

  it('writes the module’s files, the local backend and the input (0600), and asks for init until it is recorded', async () => {
    const dir = path.join(root, 'work', safeId(ID));
    const state = { type: 'local' as const, dir: path.join(root, 'state') };
    const first = await prepareWorkspace(dir, run(), state);
    expect(first).toMatchObject({ dir, initialised: false });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(state.dir).isDirectory()).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual([
      'main.tf',
      'portal.auto.tfvars.json',
      'portal_backend_override.tf.json',
    ]);
    expect(json(path.join(dir, 'portal_backend_override.tf.json'))).toEqual({
      terraform: {
        backend: {
          local: { path: path.join(state.dir, `${safeId(ID)}.tfstate`) },
        },
      },
    });
    const tfvars = path.join(dir, 'portal.auto.tfvars.json');
    expect(json(tfvars)).toEqual({
      service: 'orders',
      environment_id: safeId(ID),
      workdir: dir,
    });
    expect(fs.statSync(tfvars).mode & 0o777).toBe(0o600);

    // init ran (.terraform exists) and was recorded: the same module and backend skip it
    fs.mkdirSync(path.join(dir, '.terraform'));
    await first.markInitialised();
    expect((await prepareWorkspace(dir, run(), state)).initialised).toBe(true);
    // other variables do not need an init; a changed module file or backend does
    expect(
      (await prepareWorkspace(dir, run({ service: 'cart' }), state))
        .initialised,
    ).toBe(true);
    expect(json(tfvars).service).toBe('cart');
    fs.appendFileSync(path.join(moduleDir, 'main.tf'), '# changed\n');
    expect((await prepareWorkspace(dir, run(), state)).initialised).toBe(false);
    const pg = { type: 'pg' as const, connectionString: 'postgresql://h/db' };
    const moved = await prepareWorkspace(dir, run(), pg);
    expect(moved.initialised).toBe(false);
    expect(json(path.join(dir, 'portal_backend_override.tf.json'))).toEqual({
      terraform: { backend: { pg: { schema_name: `env_${safeId(ID)}` } } },
    });
  });
});

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StateLocation } from './tofuState';

/** Where an environment's OpenTofu state lives. */
export type StateBackend =
  | { type: 'local'; dir: string }
  | { type: 'pg'; connectionString: string };

/** environment ids become file, database and schema names: keep them to [a-z0-9_]. */
export function safeId(environmentId: string): string {
  const id = environmentId
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 32);
  if (!id)
    throw new Error(
      `environment id ${JSON.stringify(
        environmentId,
      )} has no usable characters`,
    );
  return id;
}

/** Where the state of an environment is: schema env_<id> of the pg backend, or <dir>/<id>.tfstate. */
export function stateLocation(
  state: StateBackend,
  environmentId: string,
): StateLocation {
  const id = safeId(environmentId);
  return state.type === 'pg'
    ? { schema: `env_${id}` }
    : { file: path.join(state.dir, `${id}.tfstate`) };
}

/** An environment's working folder, ready for a tofu command. */
export interface Workspace {
  dir: string;
  /** Whether `init` already ran in this folder for this module and backend. */
  initialised: boolean;
  /** Records that `init` succeeded, so that the next command in this folder skips it. */
  markInitialised(): Promise<void>;
}

/**
 * Writes an environment's working folder `dir` (mode 0700) for a run: the module's files, fresh
 * each run (.terraform and a local state stay), the backend override (the pg schema env_<id> or
 * the local state file) and the module's input as portal.auto.tfvars.json (mode 0600, with
 * environment_id and workdir added). Only the caller runs OpenTofu; this says whether it must
 * `init` first: when the folder was not initialised for this module and backend (a new
 * environment, a changed blueprint, a replica that took over from another).
 */
export async function prepareWorkspace(
  dir: string,
  run: {
    environmentId: string;
    moduleDir: string;
    variables: Record<string, unknown>;
  },
  state: StateBackend,
): Promise<Workspace> {
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  for (const entry of await fs.promises.readdir(run.moduleDir, {
    withFileTypes: true,
  })) {
    if (entry.isFile())
      await fs.promises.copyFile(
        path.join(run.moduleDir, entry.name),
        path.join(dir, entry.name),
      );
  }
  const id = safeId(run.environmentId);
  const location = stateLocation(state, run.environmentId);
  const backend =
    'schema' in location
      ? { pg: { schema_name: location.schema } }
      : { local: { path: location.file } };
  if (state.type === 'local')
    await fs.promises.mkdir(state.dir, { recursive: true });
  const backendJson = JSON.stringify({ terraform: { backend } }, null, 2);
  await fs.promises.writeFile(
    path.join(dir, 'portal_backend_override.tf.json'),
    backendJson,
  );
  await fs.promises.writeFile(
    path.join(dir, 'portal.auto.tfvars.json'),
    JSON.stringify(
      { ...run.variables, environment_id: id, workdir: dir },
      null,
      2,
    ),
    { mode: 0o600 },
  );
  const stamp = await initStamp(
    run.moduleDir,
    backendJson + JSON.stringify(state),
  );
  const stampFile = path.join(dir, '.terraform', 'portal-init-stamp');
  const recorded = await fs.promises
    .readFile(stampFile, 'utf8')
    .catch(() => '');
  return {
    dir,
    initialised: recorded === stamp,
    markInitialised: () => fs.promises.writeFile(stampFile, stamp),
  };
}

/** What `init` depends on: the module's files and the backend configuration. */
export async function initStamp(
  moduleDir: string,
  backendJson: string,
): Promise<string> {
  const hash = createHash('sha256').update(backendJson);
  const entries = (
    await fs.promises.readdir(moduleDir, { withFileTypes: true })
  )
    .filter(e => e.isFile())
    .map(e => e.name)
    .sort();
  for (const name of entries)
    hash
      .update(`\0${name}\0`)
      .update(await fs.promises.readFile(path.join(moduleDir, name)));
  return hash.digest('hex');
}

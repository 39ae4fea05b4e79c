/*
 * The two ways to a new service that the golden-path benchmark times, from "Create" until the
 * repository and the catalog entity exist:
 *  - portal: the node-service template through the scaffolder's REST API, polled until the task
 *    completes, then the catalog polled until the entity is there;
 *  - direct: the same work by hand against the APIs: the repository (Gitea's API), the same
 *    rendered files pushed with git over HTTP, the same DORA webhook, the owner team's access, the
 *    location registered through the catalog API, and the catalog polled the same way.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { repoRoot } from '@internal/backend-test-utils';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'yaml';
import { DORA_EVENTS } from '../src/actions/doraWebhook';
import { BenchBackend, Forge, PORTAL_URL } from './benchBackend';

const run = promisify(execFile);
const templateDir = path.join(repoRoot, 'templates/node-service');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const POLL_MS = 100;
const OWNER = 'group:default/payments';
const DESCRIPTION = 'A Node.js service.';
const SYSTEM = 'payments-platform';

/** Milliseconds by segment; `total` is from "Create" until the entity is in the catalog. */
export type Timing = Record<string, number> & { total: number };

/** The portal's run: the node-service template, as dev (payments) for the payments team. */
export async function portalRun(
  backend: BenchBackend,
  name: string,
): Promise<Timing> {
  const t0 = Date.now();
  const created = await backend.api('dev', 'POST', '/api/scaffolder/v2/tasks', {
    templateRef: 'template:default/node-service',
    values: { name, description: DESCRIPTION, owner: OWNER, system: SYSTEM },
  });
  if (created.status !== 201)
    throw new Error(
      `POST /tasks: ${created.status} ${JSON.stringify(created.body)}`,
    );
  const id = created.body.id;
  let status = '';
  while (status !== 'completed') {
    await sleep(POLL_MS);
    status = (await backend.api('dev', 'GET', `/api/scaffolder/v2/tasks/${id}`))
      .body.status;
    if (['failed', 'cancelled'].includes(status)) {
      const events = await backend.api(
        'dev',
        'GET',
        `/api/scaffolder/v2/tasks/${id}/events`,
      );
      const log = events.body.map((e: any) => e.body?.message).join('\n');
      throw new Error(`the task for ${name} ${status}:\n${log}`);
    }
  }
  const tTask = Date.now();
  await backend.entity('component', name);
  const tEntity = Date.now();
  const events = (
    await backend.api('dev', 'GET', `/api/scaffolder/v2/tasks/${id}/events`)
  ).body as Array<{ type: string; createdAt: string; body: any }>;
  return { ...stepTimes(events, t0, tTask, tEntity), total: tEntity - t0 };
}

/**
 * Segments from the task's log (event timestamps, from PostgreSQL): "Create" until the first step
 * begins (the request, the template's validation and the task's queueing), each step from its
 * "processing" to its "completed" event, the task's end until the poll saw it, and the catalog.
 */
function stepTimes(
  events: Array<{ type: string; createdAt: string; body: any }>,
  t0: number,
  tTask: number,
  tEntity: number,
) {
  const at = (e: { createdAt: string }) => Date.parse(e.createdAt);
  const out: Record<string, number> = {};
  const steps = events.filter(e => e.body?.stepId && e.body?.status);
  const first = steps.find(e => e.body.status === 'processing');
  if (first) out['request and queue'] = at(first) - t0;
  for (const done of steps.filter(e => e.body.status === 'completed')) {
    const begin = steps.find(
      e => e.body.stepId === done.body.stepId && e.body.status === 'processing',
    );
    if (begin) out[`step ${done.body.stepId}`] = at(done) - at(begin);
  }
  const end = events.find(e => e.type === 'completion');
  if (end) out['task end to poll'] = tTask - at(end);
  out['catalog ingestion (after the task)'] = tEntity - tTask;
  return out;
}

/**
 * The skeleton rendered by the scaffolder's fetch:template with template.yaml's input and the
 * values the portal's run gives it (golden-path:service:check's outputs included), into a new
 * folder: what the direct run pushes. Not timed.
 */
export async function render(name: string, forge: Forge): Promise<string> {
  const template = yaml.parse(
    fs.readFileSync(path.join(templateDir, 'template.yaml'), 'utf8'),
  );
  const step = template.spec.steps.find(
    (s: any) => s.action === 'fetch:template',
  );
  const values = {
    name,
    description: DESCRIPTION,
    owner: OWNER,
    system: SYSTEM,
    repoSlug: `acme/${name}`,
    forgeUrl: forge.url,
    portalUrl: PORTAL_URL,
    doraSource: 'gitea',
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const action = createFetchTemplateAction({
    reader: mockServices.urlReader.mock(),
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  await action.handler({
    ...createMockActionContext({
      input: { ...step.input, values },
      workspacePath: path.join(dir, 'repo'),
      templateInfo: {
        entityRef: 'template:default/node-service',
        baseUrl: `file://${path.join(templateDir, 'template.yaml')}`,
      },
    }),
    createTemporaryDirectory: async () =>
      fs.mkdtempSync(path.join(dir, 'fetched-')),
  } as any);
  return path.join(dir, 'repo');
}

async function forgeCall(
  forge: Forge,
  method: string,
  apiPath: string,
  body?: unknown,
) {
  const res = await fetch(`${forge.url}/api/v1${apiPath}`, {
    method,
    headers: {
      Authorization: `token ${forge.token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(
      `${method} ${apiPath}: ${res.status} ${(await res.text()).slice(0, 200)}`,
    );
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

/**
 * The direct run, on files `render` made: what a person with the forge's and the catalog's APIs
 * does. git gets the credential in its environment (GIT_CONFIG_*), never on its command line.
 */
export async function directRun(
  backend: BenchBackend,
  forge: Forge,
  name: string,
  dir: string,
  doraSecret: string,
): Promise<Timing> {
  const basic = Buffer.from(`portal-admin:${forge.token}`).toString('base64');
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@acme.example',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@acme.example',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
  const git = (...args: string[]) => run('git', args, { cwd: dir, env });
  const out: Record<string, number> = {};
  const t0 = Date.now();
  let t = t0;
  const lap = (segment: string) => {
    const now = Date.now();
    out[segment] = now - t;
    t = now;
  };
  await forgeCall(forge, 'POST', '/orgs/acme/repos', {
    name,
    description: DESCRIPTION,
    private: false,
    default_branch: 'main',
  });
  lap('create repository (API)');
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git(
    'commit',
    '-q',
    '-m',
    `Create ${name} from the node-service skeleton`,
  );
  await git('push', '-q', `${forge.url}/acme/${name}.git`, 'main');
  lap('git init, commit, push');
  // Gitea answers 500 for the file for about half a second after the first push; a location
  // registered then fails its first read and waits for the catalog's next processing (~2 min).
  // The portal's publish:gitea waits for the branch's page (every 1 s); this waits for the file.
  const file = `/repos/acme/${name}/contents/catalog-info.yaml?ref=main`;
  while (
    !(await forgeCall(forge, 'GET', file).then(
      () => true,
      () => false,
    ))
  )
    await sleep(POLL_MS);
  lap('wait until Gitea serves the file');
  await forgeCall(forge, 'POST', `/repos/acme/${name}/hooks`, {
    type: 'gitea',
    active: true,
    events: DORA_EVENTS,
    branch_filter: '*',
    config: {
      url: `${PORTAL_URL}/api/dora/webhooks/gitea`,
      content_type: 'json',
      secret: doraSecret,
    },
  });
  lap('webhook (API)');
  const teams = await forgeCall(
    forge,
    'GET',
    '/orgs/acme/teams/search?q=payments',
  );
  const team = teams.data.find((x: any) => x.name === 'payments');
  await forgeCall(forge, 'PUT', `/teams/${team.id}/repos/acme/${name}`);
  lap('team access (API)');
  const registered = await backend.api(
    'dev',
    'POST',
    '/api/catalog/locations',
    {
      type: 'url',
      target: `${forge.url}/acme/${name}/src/branch/main/catalog-info.yaml`,
    },
  );
  if (registered.status !== 201)
    throw new Error(
      `POST /locations: ${registered.status} ${JSON.stringify(
        registered.body,
      )}`,
    );
  lap('register location (catalog API)');
  await backend.entity('component', name);
  lap('catalog ingestion');
  return { ...out, total: t - t0 };
}

/** Deletes the acme repositories whose names start with `prefix` (portal-admin's token). */
export async function deleteRepositories(forge: Forge, prefix: string) {
  const found = await forgeCall(
    forge,
    'GET',
    `/repos/search?q=${prefix}&limit=50&owner=acme`,
  );
  const names: string[] = found.data
    .map((r: { name: string }) => r.name)
    .filter((n: string) => n.startsWith(prefix));
  for (const n of names) await forgeCall(forge, 'DELETE', `/repos/acme/${n}`);
  return names.length;
}

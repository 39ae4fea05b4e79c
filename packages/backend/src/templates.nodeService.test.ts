/*
 * The node-service golden path's skeleton (templates/node-service/skeleton), rendered by the
 * scaffolder's real fetch:template action with the input of template.yaml's fetch:template step
 * (its own values replaced by this test's), then used as the new repository would be: its own
 * tests run with `node --test`, its catalog-info.yaml validated as the catalog validates an entity,
 * its mkdocs.yml read, and its CI workflow's deployment report run with bash against the real DORA
 * plugin (a test backend with Backstage's real auth services and a static external-access token).
 * Only the CI runner is played here: the workflow's `${{ }}` expressions are filled in from a table.
 */
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import doraPlugin from '@internal/plugin-dora-backend';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'yaml';

const execFileAsync = promisify(execFile);
const templateDir = path.resolve(__dirname, '../../../templates/node-service');
const skeletonDir = path.join(templateDir, 'skeleton');
/** The files that may keep `${{ }}`: CI expressions, evaluated by the CI runner. */
const CI_FILES = ['.gitea/workflows/ci.yaml', 'docs/ci.md'];
const CI_TOKEN = 'node-service-ci-token-0123456789';

const VALUES = {
  name: 'order-history',
  description: 'Keeps every order: "who, what, when".',
  owner: 'group:default/payments',
  repoSlug: 'acme/order-history',
  forgeUrl: 'http://localhost:3300',
  portalUrl: 'http://localhost:7007', // replaced by the test backend's URL
  doraSource: 'gitea',
};

/** template.yaml's fetch:template input, with `values` replaced. */
function fetchStepInput(values: Record<string, string>) {
  const template = yaml.parse(
    fs.readFileSync(path.join(templateDir, 'template.yaml'), 'utf8'),
  );
  const step = template.spec.steps.find(
    (s: { action: string }) => s.action === 'fetch:template',
  );
  expect(step?.input?.url).toBe('./skeleton');
  return { ...step.input, values };
}

const workspaces = createMockDirectory();

async function render(dir: string, values: Record<string, string>) {
  const action = createFetchTemplateAction({
    reader: mockServices.urlReader.mock(),
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  const workspacePath = workspaces.resolve(dir);
  const fetched = workspaces.resolve(`${dir}-fetched`);
  await action.handler({
    ...createMockActionContext({
      input: fetchStepInput(values),
      workspacePath,
      templateInfo: {
        entityRef: 'template:default/node-service',
        baseUrl: `file://${path.join(templateDir, 'template.yaml')}`,
      },
    }),
    // where the action copies the skeleton before rendering it (the mock's is the workspace)
    createTemporaryDirectory: async () => fetched,
  });
  return workspacePath;
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const read = (dir: string, file: string) =>
  fs.readFileSync(path.join(dir, file), 'utf8');

/** What rendering left in a file: tags, `${{` outside CI files, text glued to a code fence. */
function leftovers(file: string, text: string): string[] {
  const found = ['{%', '%}', '{#', 'values.'].filter(t => text.includes(t));
  if (!CI_FILES.includes(file) && text.includes('${{')) found.push('${{');
  if (file.endsWith('.md'))
    found.push(
      ...(text.match(/^```.*$/gm) ?? []).filter(
        fence => !/^```(sh|json|yaml|text)?$/.test(fence),
      ),
    );
  return found.map(t => `${file}: ${t}`);
}

async function validateEntity(entity: Entity) {
  const policy = EntityPolicies.allOf([
    new DefaultNamespaceEntityPolicy(),
    new NoForeignRootFieldsEntityPolicy(),
    new FieldFormatEntityPolicy(),
    new SchemaValidEntityPolicy(),
  ]);
  const enforced = await policy.enforce(entity);
  expect(enforced).toBeDefined();
  expect(await componentEntityV1alpha1Validator.check(enforced!)).toBe(true);
  return enforced!;
}

describe('templates/node-service skeleton, rendered by fetch:template', () => {
  jest.setTimeout(120_000);
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let portalUrl: string;
  let dir: string;
  let values: Record<string, string>;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        mockServices.rootLogger.factory({ level: 'none' }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: { token: CI_TOKEN, subject: 'node-service-ci' },
                  },
                ],
              },
            },
            dora: {
              sources: [],
              processing: { immediate: false },
              scaffolder: { sync: false },
            },
          },
        }),
        authServiceFactory,
        httpAuthServiceFactory,
        doraPlugin,
      ],
    });
    portalUrl = `http://127.0.0.1:${backend.server.port()}`;
    values = { ...VALUES, system: 'payments-platform', portalUrl };
    dir = await render('with-system', values);
  });

  afterAll(() => backend?.stop());

  it('renders every file of the skeleton, with no template syntax left', () => {
    const files = listFiles(dir);
    expect(files).toEqual(listFiles(skeletonDir));
    expect(files.flatMap(f => leftovers(f, read(dir, f)))).toEqual([]);
    const readme = read(dir, 'README.md');
    expect(readme).toContain(`# ${values.name}\n\n${values.description}\n`);
    expect(readme).toContain('part of the system `payments-platform`');
  });

  it('passes its own tests with node --test', async () => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // jest's, not the service's
    const { stdout } = await execFileAsync(process.execPath, ['--test'], {
      cwd: dir,
      env,
    });
    expect(stdout).toMatch(/^# fail 0$/m);
    const passed = Number(/^# pass (\d+)$/m.exec(stdout)?.[1]);
    expect(passed).toBeGreaterThanOrEqual(7);
  });

  it('has a package.json without dependencies whose test script is node --test', () => {
    const pkg = JSON.parse(read(dir, 'package.json'));
    expect(pkg).toMatchObject({
      name: values.name,
      private: true,
      description: values.description,
      type: 'module',
      engines: { node: '>=22' },
      scripts: { start: 'node src/index.js', test: 'node --test' },
    });
    expect(pkg.dependencies).toBeUndefined();
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:22-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
    expect(dockerfile).toContain('/health');
  });

  it('has a catalog-info.yaml the catalog accepts, with the forge and TechDocs annotations', async () => {
    const entity = await validateEntity(
      yaml.parse(read(dir, 'catalog-info.yaml')),
    );
    expect(entity.metadata).toMatchObject({
      name: values.name,
      description: values.description,
      annotations: {
        'gitea.com/project-slug': 'acme/order-history',
        'backstage.io/source-location':
          'url:http://localhost:3300/acme/order-history/src/branch/main/',
        'backstage.io/source-template': 'template:default/node-service',
        'backstage.io/techdocs-ref': 'dir:.',
      },
    });
    expect(entity.spec).toEqual({
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/payments',
      system: 'payments-platform',
    });
  });

  it('renders an owner given as a bare name, and no system when none is given', async () => {
    const bare = { ...VALUES, portalUrl, owner: 'payments' };
    const other = await render('without-system', bare);
    const entity = await validateEntity(
      yaml.parse(read(other, 'catalog-info.yaml')),
    );
    expect(entity.spec).toEqual({
      type: 'service',
      lifecycle: 'experimental',
      owner: 'payments',
    });
    expect(read(other, 'README.md')).not.toContain('part of the system');
    expect(read(other, 'docs/index.md')).not.toContain('| System');
  });

  it('has an mkdocs.yml for plain MkDocs (no techdocs-core) whose nav names every page', () => {
    const mkdocs = yaml.parse(read(dir, 'mkdocs.yml'));
    expect(mkdocs.site_name).toBe(values.name);
    expect(mkdocs.plugins).toBeUndefined();
    const pages = mkdocs.nav.map((entry: Record<string, string>) => {
      expect(Object.keys(entry)).toHaveLength(1);
      return Object.values(entry)[0];
    });
    const docs = listFiles(path.join(dir, 'docs'));
    expect([...pages].sort()).toEqual(docs);
  });

  describe('the CI workflow', () => {
    let workflow: any;
    let report: { env: Record<string, string>; run: string; if: string };
    const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

    /** The CI runner's part: each `${{ expr }}` of the step, from this table. */
    const runReport = async (overrides: {
      token?: string;
      status?: string;
    }) => {
      const expressions: Record<string, string> = {
        'secrets.PORTAL_TOKEN': overrides.token ?? CI_TOKEN,
        "job.status == 'success' && 'success' || 'failure'":
          overrides.status ?? 'success',
        'github.repository': values.repoSlug,
        'github.sha': sha,
        'github.ref_name': 'main',
        'github.run_id': '17',
        'github.server_url': values.forgeUrl,
      };
      const evaluate = (text: string) =>
        text.replace(/\$\{\{ ([^}]+) \}\}/g, (_, expr: string) => {
          if (!(expr in expressions)) throw new Error(`no value for ${expr}`);
          return expressions[expr];
        });
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
      };
      for (const [k, v] of Object.entries({ ...workflow.env, ...report.env }))
        env[k] = evaluate(String(v));
      // as GitHub Actions runs a bash step
      const bash = [
        '--noprofile',
        '--norc',
        '-eo',
        'pipefail',
        '-c',
        report.run,
      ];
      return execFileAsync('bash', bash, { env }).then(
        r => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: any) => ({
          code: e.code as number,
          stdout: e.stdout,
          stderr: e.stderr,
        }),
      );
    };

    beforeAll(() => {
      workflow = yaml.parse(read(dir, '.gitea/workflows/ci.yaml'));
      report = workflow.jobs.deploy.steps.find(
        (s: { id?: string }) => s.id === 'report-deployment',
      );
    });

    it('tests every push and pull request, and deploys from the default branch only', () => {
      expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
      expect(workflow.env).toEqual({
        PORTAL_URL: portalUrl,
        COMPONENT_REF: 'component:default/order-history',
      });
      expect(workflow.jobs.test.steps).toContainEqual({ run: 'npm test' });
      expect(workflow.jobs.deploy.needs).toBe('test');
      expect(workflow.jobs.deploy.if).toBe(
        "github.event_name == 'push' && github.ref == format('refs/heads/{0}', github.event.repository.default_branch)",
      );
      expect(report.if).toBe('${{ !cancelled() }}');
      expect(report.env.PORTAL_TOKEN).toBe('${{ secrets.PORTAL_TOKEN }}');
      expect(report.run).not.toContain(CI_TOKEN);
    });

    it('reports a deployment the real DORA API accepts, with the static token', async () => {
      const ok = await runReport({});
      expect(ok).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(ok.stdout)).toEqual({
        delivery: expect.objectContaining({ duplicate: false }),
      });
      const failed = await runReport({ status: 'failure' });
      expect(failed.code).toBe(0);
    });

    it('fails the step when the portal refuses the token, without printing it', async () => {
      const wrong = 'not-the-portal-token-0123456789';
      const refused = await runReport({ token: wrong });
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).toContain('401');
      expect(refused.stdout + refused.stderr).not.toContain(wrong);
    });
  });
});

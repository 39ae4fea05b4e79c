/*
 * TechDocs works locally: the techdocs backend, configured by app-config.yaml's `techdocs` section
 * (local builder, local mkdocs without the techdocs-core plugin, local publisher), builds the docs
 * of the real catalog entity ledger-service (catalog/components.yaml, techdocs-ref
 * dir:./docs/ledger-service) with the mkdocs that the set-up installs (ensure_mkdocs in
 * scripts/lib/setup.sh), and serves the page that the entity's Docs tab shows.
 *
 * Only the publish directory differs from app-config.yaml (a temporary folder instead of the
 * techdocs-backend package's static/docs). TEST_LOG_LEVEL=info (or debug) shows the backend's logs.
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { ConfigSources } from '@backstage/config-loader';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// Static imports: startTestBackend cannot load `import('…')` under this jest setup.
import catalogPlugin from '@backstage/plugin-catalog-backend';
import techdocsPlugin from '@backstage/plugin-techdocs-backend';
import { waitFor } from './__testUtils__/waitFor';

const repoRoot = path.resolve(__dirname, '../../..');
const exampleCatalog = path.join(repoRoot, 'catalog/all.yaml');
const ledgerMkdocsYml = path.join(
  repoRoot,
  'catalog/docs/ledger-service/mkdocs.yml',
);
const entityPath = 'default/component/ledger-service';
// What catalog/all.yaml holds.
const catalogKinds = [
  'Component',
  'System',
  'API',
  'Domain',
  'Group',
  'User',
  'Location',
];
const asGuest = mockCredentials.user.header('user:default/guest');

type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug';

/** app-config.yaml's `techdocs` section, read with Backstage's config loader. */
async function repoTechdocsConfig() {
  const source = ConfigSources.default({
    argv: ['--config', path.join(repoRoot, 'app-config.yaml')],
    env: {},
    rootDir: repoRoot,
    substitutionFunc: async () => undefined,
  });
  const config = await ConfigSources.toConfig(source);
  config.close();
  return config.getConfig('techdocs').get<Record<string, any>>();
}

/** Why mkdocs cannot run here, or undefined when it can. */
function mkdocsProblem(): string | undefined {
  const result = spawnSync('mkdocs', ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    return (
      `mkdocs does not run (${result.error?.message ?? result.stderr}). ` +
      'Run the set-up first: scripts/start --check (or scripts/test), which installs Debian’s ' +
      'mkdocs and mkdocs-material (ensure_mkdocs in scripts/lib/setup.sh).'
    );
  }
  return undefined;
}

interface StreamEvent {
  type: string;
  data: unknown;
}

/** The events of the sync endpoint's text/event-stream answer ("event: x\ndata: json\n\n"). */
function parseEvents(body: string): StreamEvent[] {
  return body
    .split('\n\n')
    .filter(block => block.trim() !== '')
    .map(block => {
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const colon = line.indexOf(': ');
        if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2));
      }
      const data = fields.get('data');
      return {
        type: fields.get('event') ?? '',
        data: data === undefined ? undefined : JSON.parse(data),
      };
    });
}

describe('TechDocs with the repo’s config', () => {
  jest.setTimeout(120_000);

  it('has mkdocs installed by the set-up', () => {
    expect(mkdocsProblem()).toBeUndefined();
  });

  it('builds ledger-service’s docs from the catalog and serves its page (permissions: an in-process ALLOW mock)', async () => {
    const problem = mkdocsProblem();
    if (problem) throw new Error(problem);

    const techdocs = await repoTechdocsConfig();
    expect(techdocs.builder).toBe('local');
    expect(techdocs.generator.runIn).toBe('local');

    const publishDirectory = fs.mkdtempSync(
      path.join(os.tmpdir(), 'techdocs-test-'),
    );
    // For a dir: techdocs-ref the generator edits mkdocs.yml where it is (it sanitises the file and
    // adds what the config says); the committed file is already in that form.
    const mkdocsYmlBefore = fs.readFileSync(ledgerMkdocsYml, 'utf8');

    const backend = await startTestBackend({
      features: [
        mockServices.rootLogger.factory({
          level: (process.env.TEST_LOG_LEVEL as LogLevel) ?? 'none',
        }),
        // Permissions are on, as in app-config.yaml; every decision is ALLOW, made in process (the
        // real permission backend refuses startTestBackend's mock tokens; see
        // searchEngines.test.ts). What ledger-service's confidentiality means is tested with OPA.
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: catalogKinds }],
              locations: [
                {
                  type: 'file',
                  target: exampleCatalog,
                  rules: [{ allow: catalogKinds }],
                },
              ],
              processingInterval: { seconds: 5 },
            },
            techdocs: {
              ...techdocs,
              publisher: {
                ...techdocs.publisher,
                local: { publishDirectory },
              },
            },
          },
        }),
        catalogPlugin,
        techdocsPlugin,
      ],
    });

    try {
      await waitFor('the catalog to ingest ledger-service', async () => {
        const res = await request(backend.server)
          .get(`/api/catalog/entities/by-name/component/default/ledger-service`)
          .set('Authorization', asGuest);
        return res.status === 200
          ? { done: true, value: res.body }
          : { done: false, last: `${res.status} ${res.text}` };
      });

      // What the Docs tab calls first: build (or confirm) the site, streamed as events.
      const sync = await request(backend.server)
        .get(`/api/techdocs/sync/${entityPath}`)
        .set('Authorization', asGuest)
        .buffer(true);
      expect(sync.status).toBe(200);
      const events = parseEvents(sync.text);
      const last = events[events.length - 1];
      if (last?.type !== 'finish') {
        const log = events.filter(e => e.type === 'log').map(e => e.data);
        throw new Error(
          `The TechDocs build failed: ${JSON.stringify(last?.data)}\n` +
            `Its log (mkdocs' output):\n${log.join('\n')}`,
        );
      }
      expect(last.data).toEqual({ updated: true });

      const page = await request(backend.server)
        .get(`/api/techdocs/static/docs/${entityPath}/index.html`)
        .set('Authorization', asGuest);
      expect(page.status).toBe(200);
      expect(page.text).toContain(
        '<h1 id="ledger-service">Ledger service</h1>',
      );
      expect(page.text).toContain(
        'The double-entry ledger that records every movement of money.',
      );
      expect(page.text).toContain('id="interfaces"');
      // The Material theme, whose layout the TechDocs reader expects, without web fonts.
      expect(page.text).toContain('class="md-content"');
      expect(page.text).not.toContain('fonts.googleapis.com');

      // The search index that TechDocs search reads (the `search` plugin of defaultPlugins).
      const index = await request(backend.server)
        .get(`/api/techdocs/static/docs/${entityPath}/search/search_index.json`)
        .set('Authorization', asGuest);
      expect(index.status).toBe(200);
      expect(JSON.stringify(JSON.parse(index.text).docs)).toContain(
        'Interfaces',
      );

      const metadata = await request(backend.server)
        .get(`/api/techdocs/metadata/techdocs/${entityPath}`)
        .set('Authorization', asGuest);
      expect(metadata.status).toBe(200);
      expect(metadata.body.files).toContain('index.html');

      expect(fs.readFileSync(ledgerMkdocsYml, 'utf8')).toBe(mkdocsYmlBefore);
    } finally {
      await backend.stop();
      fs.rmSync(publishDirectory, { recursive: true, force: true });
    }
  });
});

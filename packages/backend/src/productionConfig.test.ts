/*
 * Production never starts with a development default (issue 11): the effective config.
 *
 * app-config.yaml + app-config.production.yaml with NODE_ENV=production and the production
 * environment variables, loaded with Backstage's config loader as the backend loads it (see
 * __testUtils__/productionBackend.ts), has no demo source, no seeding, no unconditional OPA
 * fallback, and every key it still inherits from app-config.yaml is one reviewed below.
 * (productionBoot.test.ts starts the backend with it.)
 */
import { loadConfig, productionEnv } from './__testUtils__/productionBackend';

/** OPA_URL: the config is only loaded here, nothing asks OPA. */
const opaUrl = 'http://127.0.0.1:8181';

/**
 * Keys of app-config.yaml that production still inherits, each reviewed: none is a secret, a
 * development address, a local path that production uses, or an unconditional permission.
 */
const REVIEWED_INHERITED: Record<string, string> = {
  'app.title': 'the portal name',
  'app.packages': 'frontend packages discovered from packages/app',
  'organization.name': 'the organisation name',
  'app.support.url':
    "whom to ask for help (the example organisation's platform team: replace it in an installation config)",
  'app.support.items':
    'the same, listed on the error pages and on the page of someone the catalog does not know',
  'backend.cors.methods': 'methods for the same origin as PORTAL_BASE_URL',
  'backend.cors.credentials': 'credentials only for that origin',
  'backend.actions.pluginSources':
    'MCP actions; every call still needs Backstage credentials and permissions',
  'events.useEventBus':
    'always: every replica publishes to and reads from the events bus (signals across replicas)',
  'techdocs.generator.runIn':
    'unused: production sets techdocs.builder external',
  'techdocs.publisher.type': 'local: sites published into the backend by CI',
  'auth.clientIdMetadataDocuments.enabled': 'false, the secure default',
  'catalog.import.entityFilename': 'catalog-info.yaml, the convention',
  'catalog.import.pullRequestBranchName': 'the import branch name',
  'search.collators.catalog.schedule.frequency.minutes': 'indexing schedule',
  'search.collators.catalog.schedule.timeout.minutes': 'indexing schedule',
  'search.collators.catalog.schedule.initialDelay.seconds': 'indexing schedule',
  'permission.enabled':
    'true: every decision goes through the permission framework',
  'opa.local.policyDir':
    'unused: opa.url is always set in production, so no local OPA starts',
  'opa.local.decisionLogFile': 'unused, as opa.local.policyDir',
  'opa.timeoutMs': '200 ms, then the fallback',
  'opa.cache.ttlMs': 'decision cache',
  'opa.fallback.conditional':
    'catalog reads keep the visibility condition while OPA is down (no unconditional allow)',
  'dora.scorecards.initialDelay.seconds':
    'first scorecard evaluation after start',
  'mcpActions.description': 'MCP server description',
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The leaf keys of `base` whose value reaches the merged config because `over` does not set them
 * (Backstage's merge: objects merge, arrays and scalars replace, null removes).
 */
function inherited(base: unknown, over: unknown, at = ''): string[] {
  if (over === null || base === null || base === undefined) return [];
  if (over === undefined) {
    if (!isObject(base)) return [at];
    return Object.entries(base).flatMap(([k, v]) =>
      inherited(v, undefined, at ? `${at}.${k}` : k),
    );
  }
  if (isObject(base) && isObject(over)) {
    return Object.entries(base).flatMap(([k, v]) =>
      inherited(v, over[k], at ? `${at}.${k}` : k),
    );
  }
  return [];
}

describe('app-config.yaml + app-config.production.yaml with NODE_ENV=production', () => {
  describe('the effective config', () => {
    it('has the production DORA sources only, no seeding, and no unconditional OPA fallback', async () => {
      const env = productionEnv(7007, opaUrl);
      const { config } = await loadConfig(env);
      const sources = config.getConfigArray('dora.sources');
      expect(sources.map(s => s.getString('id'))).toEqual(['github', 'gitea']);
      expect(sources[0].getString('secret')).toBe(env.DORA_GITHUB_SECRET);
      expect(sources[1].getString('secret')).toBe(env.DORA_GITEA_SECRET);
      expect(config.getOptionalBoolean('dora.demo.seed')).toBe(false);
      expect(config.getOptional('dora.demo.source')).toBeUndefined();
      expect(config.getOptionalStringArray('opa.fallback.allow') ?? []).toEqual(
        [],
      );
      for (const c of config.getOptionalConfigArray(
        'opa.fallback.conditional',
      ) ?? []) {
        expect(c.getOptional('conditions')).toBeDefined();
      }
      expect(config.getString('opa.url')).toBe(opaUrl);
    });

    it('keeps no development address, path or sign-in of app-config.yaml', async () => {
      const env = productionEnv(7007, opaUrl);
      const { config } = await loadConfig(env);
      // the forge from FORGE_*, none of the local Gitea
      expect(config.get('integrations.gitea')).toEqual([
        {
          host: env.FORGE_HOST,
          baseUrl: env.FORGE_URL,
          username: env.FORGE_USERNAME,
          password: env.FORGE_TOKEN,
        },
      ]);
      expect(config.get('goldenPath.forge')).toEqual({
        host: env.FORGE_HOST,
        organisation: env.FORGE_ORGANISATION,
      });
      expect(config.getString('backend.database.client')).toBe('pg');
      expect(
        config.getOptional('backend.database.connection.directory'),
      ).toBeUndefined();
      // no admin URL unless ENVIRONMENTS_PG_ADMIN_URL says so (app-config.yaml's fell through before)
      expect(
        config.getOptional('environments.postgres.adminUrl'),
      ).toBeUndefined();
      expect(
        config.getOptionalConfig('auth.providers')?.keys() ?? [],
      ).not.toContain('guest');
      expect(config.getStringArray('backend.csp.connect-src')).toEqual([
        "'self'",
      ]);
      expect(config.getString('backend.cors.origin')).toBe(
        'http://127.0.0.1:7007',
      );
      expect(config.getString('techdocs.builder')).toBe('external');
      const extensions = JSON.stringify(config.get('app.extensions'));
      expect(extensions).not.toMatch(/https?:\/\//);
      for (const l of config.getConfigArray('catalog.locations'))
        expect(l.getString('target')).toMatch(/^\.\/[^.]/);
    });

    it('inherits from app-config.yaml only keys reviewed for production', async () => {
      const { files } = await loadConfig(productionEnv(7007, opaUrl));
      const keys = inherited(
        files['app-config.yaml'],
        files['app-config.production.yaml'],
      );
      expect(keys).toContain('app.title'); // the walk sees what it should
      expect(keys.filter(k => !(k in REVIEWED_INHERITED))).toEqual([]);
      // and the review lists nothing that production has since overridden
      expect(
        Object.keys(REVIEWED_INHERITED).filter(k => !keys.includes(k)),
      ).toEqual([]);
    });
  });
});

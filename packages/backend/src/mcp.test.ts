/*
 * The portal from an AI assistant (issue 13): the backend booted as the image runs it
 * (__testUtils__/productionBackend.ts: app-config.yaml + app-config.production.yaml, PostgreSQL, a
 * real OPA, real OpenTofu), people signed in through the local forge as the OIDC provider
 * (__testUtils__/signInOverHttp.ts), and the official MCP TypeScript SDK's client talking to the
 * installed mcp-actions-backend over its streamable HTTP transport with each person's Backstage
 * token, as an assistant configured with that token does.
 *
 * dev (payments developer) lists the tools, requests a workspace sandbox, polls it to active, reads
 * his team's DORA metrics and destroys it. A request over the TTL a developer may set waits for
 * approval with the same reasons through MCP as through REST. vic (viewer) is refused the request
 * and the destroy with the policy's reasons, and nothing is created.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { testForge } from '@internal/backend-test-utils';
import { freePort } from '@internal/plugin-platform-node';
import {
  BOOT_TIMEOUT_MS,
  dbPrefix,
  productionEnv,
  run,
  startProductionStack,
} from './__testUtils__/productionBackend';
import {
  forgeOAuthApp,
  signIn,
  signInEnv,
  tokenOf,
} from './__testUtils__/signInOverHttp';

jest.setTimeout(6 * BOOT_TIMEOUT_MS);

const forge = testForge();
const PROVISIONED_WITHIN_MS = 240_000;

/** An MCP client of the portal at `base`, acting with `token` (a person's Backstage token). */
async function mcpClient(base: string, token: string) {
  const client = new Client({ name: 'portal-mcp-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/api/mcp-actions/v1`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

/** Calls a tool; its structured answer, or its error text (an MCP tool error is not thrown). */
async function call(client: Client, name: string, args: object = {}) {
  const result: any = await client.callTool({ name, arguments: args as any });
  const text = result.content?.map((c: any) => c.text).join('\n') ?? '';
  return result.isError
    ? { error: text as string, output: undefined as any }
    : { error: undefined, output: result.structuredContent as any };
}

/** Polls get-environment until the environment is in one of `states` (or the time is up). */
async function settle(client: Client, id: string, states: string[]) {
  const deadline = Date.now() + PROVISIONED_WITHIN_MS;
  let state = '';
  while (Date.now() < deadline) {
    const { output, error } = await call(
      client,
      'environments.get-environment',
      { id },
    );
    if (error) throw new Error(error);
    state = output.environment.state;
    if (states.includes(state)) return state;
    await new Promise(r => setTimeout(r, 2000));
  }
  return state;
}

describe('the portal over MCP, with the official MCP SDK client and people signed in through the forge', () => {
  let stack: Awaited<ReturnType<typeof startProductionStack>>;
  let app: Awaited<ReturnType<typeof forgeOAuthApp>> | undefined;
  let port: number;

  beforeAll(async () => {
    stack = await startProductionStack();
    port = await freePort();
    app = await forgeOAuthApp(forge, 'portal-mcp-test', [port]);
  });

  afterAll(async () => {
    await app?.delete();
    await stack?.stop();
  });

  it("lets dev run a sandbox's life and read DORA over MCP, within the same guardrails as REST, and refuses vic with the policy's reasons", async () => {
    const env: Record<string, string> = {
      ...productionEnv(port, stack.opa.url),
      ...signInEnv(forge, app!),
      APP_CONFIG_backend_database_prefix: `${dbPrefix}mcp_`,
    };
    const outcome = await run(env, async base => {
      const devToken = tokenOf((await signIn(forge, base, 'dev')).message);
      const vicToken = tokenOf((await signIn(forge, base, 'vic')).message);
      const dev = await mcpClient(base, devToken);
      const vic = await mcpClient(base, vicToken);
      try {
        // the tools, with their schemas and what they do to the world
        const { tools } = await dev.listTools();
        const byName = new Map(tools.map(t => [t.name, t]));
        for (const name of [
          'environments.list-blueprints',
          'environments.list-environments',
          'environments.get-environment',
          'environments.request-environment',
          'environments.extend-environment',
          'environments.destroy-environment',
          'dora.get-dora-metrics',
        ])
          expect({ name, found: byName.has(name) }).toEqual({
            name,
            found: true,
          });
        const request = byName.get('environments.request-environment')!;
        expect(request.inputSchema.properties).toEqual(
          expect.objectContaining({
            name: expect.anything(),
            blueprint: expect.anything(),
            owner: expect.anything(),
            ttlHours: expect.anything(),
          }),
        );
        expect(request.inputSchema.required).toEqual(
          expect.arrayContaining(['name', 'blueprint', 'owner']),
        );
        expect(
          byName.get('environments.destroy-environment')!.annotations,
        ).toEqual(expect.objectContaining({ destructiveHint: true }));
        expect(byName.get('environments.list-blueprints')!.annotations).toEqual(
          expect.objectContaining({ readOnlyHint: true }),
        );
        const blueprints = await call(dev, 'environments.list-blueprints');
        expect(blueprints.output.blueprints.map((b: any) => b.name)).toContain(
          'workspace',
        );

        // vic may only read: refused, with the policy's reasons, and nothing is stored
        const vicRequest = await call(vic, 'environments.request-environment', {
          name: 'vic-workspace',
          blueprint: 'workspace',
          owner: 'group:default/payments',
        });
        expect(vicRequest.error).toMatch(
          /^NotAllowedError: environments\.environment\.create is not allowed for user:default\/vic: .*\S/,
        );

        // dev requests a workspace, polls it to active
        const requested = await call(dev, 'environments.request-environment', {
          name: 'mcp-workspace',
          blueprint: 'workspace',
          owner: 'group:default/payments',
          ttlHours: 4,
        });
        expect(requested.error).toBeUndefined();
        expect(requested.output.environment.state).toBe('queued');
        expect(requested.output.waitingForApproval).toBe(false);
        const id = requested.output.environment.id;
        expect(await settle(dev, id, ['active', 'failed'])).toBe('active');
        const got = await call(dev, 'environments.get-environment', { id });
        expect(got.output.environment.expiresAt).toEqual(expect.any(String));
        expect(JSON.stringify(got.output)).not.toContain('api_token');
        const mine = await call(dev, 'environments.list-environments', {
          scope: 'mine',
        });
        expect(mine.output.items.map((e: any) => e.id)).toEqual([id]);

        // his team's DORA metrics
        const metrics = await call(dev, 'dora.get-dora-metrics', {
          entity: 'group:default/payments',
        });
        expect(metrics.error).toBeUndefined();
        expect(Object.keys(metrics.output.metrics).sort()).toEqual(
          [
            'changeFailureRate',
            'changeLeadTime',
            'deploymentFrequency',
            'deploymentReworkRate',
            'failedDeploymentRecoveryTime',
          ].sort(),
        );

        // vic cannot destroy it either; it stays active
        const vicDestroy = await call(vic, 'environments.destroy-environment', {
          id,
        });
        expect(vicDestroy.error).toMatch(
          /^NotAllowedError: environments\.environment\.delete is not allowed for user:default\/vic: .*\S/,
        );
        expect(await settle(dev, id, ['active'])).toBe('active');

        // over the TTL a developer may set: waits for approval, for the same reasons as through REST
        const overTtl = { owner: 'group:default/payments', ttlHours: 200 };
        const viaMcp = await call(dev, 'environments.request-environment', {
          ...overTtl,
          name: 'mcp-long',
          blueprint: 'workspace',
        });
        const viaRest = await fetch(`${base}/api/environments/environments`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${devToken}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({
            ...overTtl,
            name: 'rest-long',
            blueprint: 'workspace',
          }),
        });
        const restBody = await viaRest.json();
        expect(viaRest.status).toBe(202);
        expect(viaMcp.output.environment.state).toBe('pending_approval');
        expect(viaMcp.output.waitingForApproval).toBe(true);
        expect(viaMcp.output.reasons).toEqual(restBody.reasons);
        expect(viaMcp.output.reasons.join(' ')).toMatch(/168/);

        // dev destroys his workspace
        const destroyed = await call(dev, 'environments.destroy-environment', {
          id,
        });
        expect(destroyed.output.environment.state).toBe('destroying');
        expect(await settle(dev, id, ['destroyed', 'quarantined'])).toBe(
          'destroyed',
        );

        // nothing of vic's was ever made
        const all = await call(dev, 'environments.list-environments', {
          scope: 'all',
        });
        expect(
          all.output.items.filter((e: any) => e.requestedBy.endsWith('/vic')),
        ).toEqual([]);
        return { done: true };
      } finally {
        await dev.close();
        await vic.close();
      }
    });
    expect(outcome.result).toBe('ready');
    expect(outcome.checks).toEqual({ done: true });
    // the boot's output holds none of the secrets
    for (const key of ['AUTH_OIDC_CLIENT_SECRET', 'AUTH_SESSION_SECRET'])
      expect(outcome.output).not.toContain(env[key]);
  });
});

/*
 * OpaPermissionPolicy against a real OPA process serving a small test policy (written to a temp
 * folder here), and the catalog's real permission rules as its permission integration router
 * serializes them: conditions from the policy are checked before they are returned; decisions are
 * audited. (OpaPermissionPolicy.fallback.test.ts: when OPA cannot answer.)
 */
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { HttpOpaClient, LocalOpaServer } from '@internal/plugin-opa-node';
import { findTool } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RuleMetadata } from './ConditionValidator';
import { OpaPermissionPolicy } from './OpaPermissionPolicy';
import {
  auditFlushed,
  catalogResource,
  catalogRulesAsPublished,
  policyFor,
  policyMocks,
  user,
} from './__testUtils__/policy';

const testPolicy = `
package portal.permissions

owner := {"rule": "IS_ENTITY_OWNER", "resourceType": "catalog-entity", "params": {"claims": input.principal.ownershipEntityRefs}}

cond(c) := {"decision": "conditional", "reasons": ["test"], "plugin_id": "catalog", "resource_type": "catalog-entity", "conditions": c}

decision := cond(owner) if input.permission.name == "test.good"
decision := cond({"rule": "NO_SUCH_RULE", "resourceType": "catalog-entity", "params": {}}) if input.permission.name == "test.unknown-rule"
decision := cond({"rule": "IS_ENTITY_OWNER", "resourceType": "catalog-entity", "params": {"claims": "everyone"}}) if input.permission.name == "test.bad-params"
decision := cond({"anyOf": []}) if input.permission.name == "test.empty-anyof"
decision := cond({"not": {"rule": "IS_ENTITY_KIND", "resourceType": "scaffolder-template", "params": {"kinds": ["x"]}}}) if input.permission.name == "test.wrong-type"
decision := {"decision": "maybe"} if input.permission.name == "test.malformed"
decision := {"decision": "deny", "reasons": ["because the test says so"]} if input.permission.name == "test.deny"
decision := {"decision": "allow", "reasons": ["ok"]} if input.permission.name == "test.allow"

batch := [d | some q in input.queries; d := decision with input as q]
`;

describe('OpaPermissionPolicy', () => {
  let opa: LocalOpaServer;
  let client: HttpOpaClient;
  let dir: string;
  let catalogRules: RuleMetadata[];
  const mocks = policyMocks();
  const { logger, auditor } = mocks;
  let policy: OpaPermissionPolicy;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opa-policy-test-'));
    fs.writeFileSync(path.join(dir, 'test.rego'), testPolicy);
    const tool = await findTool(new ConfigReader({}), 'opa');
    opa = await LocalOpaServer.start({ binary: tool.path, policyDir: dir });
    client = new HttpOpaClient({
      url: opa.url,
      cacheTtlMs: 0,
      // what OPA decides, not how fast: a loaded machine may take more than the 200 ms default
      timeoutMs: 5000,
    });
    catalogRules = await catalogRulesAsPublished();
  });

  beforeEach(() => {
    mocks.reset();
    policy = policyFor(client, catalogRules, mocks);
  });

  afterAll(async () => {
    client?.stop();
    await opa?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checks conditions against the rules the catalog publishes on its metadata endpoint', () => {
    expect(catalogRules.map(r => r.name)).toContain('IS_ENTITY_OWNER');
  });

  it('returns valid conditions as CONDITIONAL, for the plugin that owns the resource', async () => {
    const d = await policy.handle(
      { permission: catalogResource('test.good') },
      user,
    );
    expect(d).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/dev', 'group:default/payments'] },
      },
    });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it.each([
    [
      'test.unknown-rule',
      /has no rule NO_SUCH_RULE for catalog-entity \(it has: .*IS_ENTITY_OWNER/,
    ],
    [
      'test.bad-params',
      /parameters of IS_ENTITY_OWNER are invalid: \/claims must be array/,
    ],
    ['test.empty-anyof', /anyOf: must be a non-empty list/],
    [
      'test.wrong-type',
      /rule IS_ENTITY_KIND is for resource type 'scaffolder-template'/,
    ],
  ])(
    'turns invalid conditions (%s) into DENY with a logged error',
    async (name, problem) => {
      const d = await policy.handle(
        { permission: catalogResource(name) },
        user,
      );
      expect(d).toEqual({ result: AuthorizeResult.DENY });
      expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(problem));
      const why = await policy.explain(
        { permission: catalogResource(name) },
        user.credentials,
      );
      expect(why.reasons[0]).toMatch(problem);
    },
  );

  it('denies when the decision is not of the contract’s shape', async () => {
    const d = await policy.handle(
      { permission: catalogResource('test.malformed') },
      user,
    );
    expect(d).toEqual({ result: AuthorizeResult.DENY });
    const why = await policy.explain(
      { permission: catalogResource('test.malformed') },
      user.credentials,
    );
    expect(why).toMatchObject({ result: 'deny', fallback: 'malformed' });
  });

  it('denies a permission the policy leaves undefined', async () => {
    const d = await policy.handle(
      { permission: catalogResource('test.nothing') },
      user,
    );
    expect(d).toEqual({ result: AuthorizeResult.DENY });
  });

  it('audits a deny and a write with principal, permission, result, reasons and decision id', async () => {
    await policy.handle({ permission: catalogResource('test.deny') }, user);
    await auditFlushed();
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'policy-decision',
      severityLevel: 'medium',
      meta: expect.objectContaining({
        principal: 'user:default/dev',
        decisions: [
          expect.objectContaining({
            permission: 'test.deny',
            result: 'deny',
            reasons: ['because the test says so'],
            decisionId: expect.stringMatching(/.+/),
            policyRevision: null,
          }),
        ],
      }),
    });
    auditor.createEvent.mockClear();
    await policy.handle({ permission: catalogResource('test.allow') }, user);
    await auditFlushed();
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        severityLevel: 'low',
        meta: expect.objectContaining({
          decisions: [
            expect.objectContaining({ result: 'allow', action: 'update' }),
          ],
        }),
      }),
    );
  });

  it('records the decisions of one batch as one audit event per principal', async () => {
    await Promise.all(
      ['test.deny', 'test.allow', 'test.deny'].map(n =>
        policy.handle({ permission: catalogResource(n) }, user),
      ),
    );
    await auditFlushed();
    expect(auditor.createEvent).toHaveBeenCalledTimes(1);
    expect(auditor.createEvent.mock.calls[0][0].meta!.decisions).toHaveLength(
      3,
    );
  });

  it('does not audit an allowed read', async () => {
    await policy.handle(
      {
        permission: createPermission({
          name: 'test.allow',
          attributes: { action: 'read' },
        }),
      },
      user,
    );
    await auditFlushed();
    expect(auditor.createEvent).not.toHaveBeenCalled();
  });

  it('answers a batch of questions asked together with one OPA decision', async () => {
    const names = [
      'test.allow',
      'test.deny',
      'test.good',
      'test.allow',
      'test.deny',
    ];
    const all = await Promise.all(
      names.map((n, i) =>
        policy.explain(
          { permission: catalogResource(i === 3 ? 'test.allow' : n) },
          user.credentials,
        ),
      ),
    );
    expect(all.map(d => d.result)).toEqual([
      'allow',
      'deny',
      'conditional',
      'allow',
      'deny',
    ]);
    expect(new Set(all.map(d => d.decisionId)).size).toBe(1);
  });
});

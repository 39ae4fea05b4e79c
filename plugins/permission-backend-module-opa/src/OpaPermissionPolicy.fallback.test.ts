/*
 * OpaPermissionPolicy when OPA cannot answer (a closed port): the configured fallback decides,
 * its conditions checked against the catalog's real permission rules as its permission
 * integration router serializes them, and its decisions audited.
 */
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { HttpOpaClient } from '@internal/plugin-opa-node';
import { RuleMetadata } from './ConditionValidator';
import {
  auditFlushed,
  catalogResource,
  catalogRulesAsPublished,
  policyFor,
  policyMocks,
  user,
} from './__testUtils__/policy';

describe('OpaPermissionPolicy when OPA cannot answer (a closed port)', () => {
  let catalogRules: RuleMetadata[];
  const mocks = policyMocks();
  const { logger, auditor } = mocks;

  beforeAll(async () => {
    catalogRules = await catalogRulesAsPublished();
  });

  beforeEach(() => mocks.reset());

  const read = createPermission({
    name: 'catalog.entity.read',
    attributes: { action: 'read' },
    resourceType: 'catalog-entity',
  });
  const owned = {
    rule: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    params: { claims: '$claims' },
  };
  const withFallback = (fallback: object) =>
    policyFor(
      new HttpOpaClient({ url: 'http://127.0.0.1:1', cacheTtlMs: 0, fallback }),
      catalogRules,
      mocks,
    );
  const entry = (conditions: unknown) => ({
    permission: 'catalog.entity.read',
    pluginId: 'catalog',
    resourceType: 'catalog-entity',
    conditions,
    reason: 'owners only',
  });

  it("answers a conditional fallback with the user's claims filled in, and audits it", async () => {
    const p = withFallback({ conditional: [entry(owned)] });
    expect(await p.handle({ permission: read }, user)).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        ...owned,
        params: { claims: ['user:default/dev', 'group:default/payments'] },
      },
    });
    await auditFlushed();
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        meta: expect.objectContaining({
          decisions: [
            expect.objectContaining({
              permission: 'catalog.entity.read',
              result: 'conditional',
              fallback: 'unreachable',
              reasons: [
                'the policy service is unavailable; catalog.entity.read is limited by the configured fallback: owners only',
              ],
            }),
          ],
        }),
      }),
    );
  });

  it('denies when the fallback conditions name a rule the plugin does not publish, with an error log', async () => {
    const p = withFallback({
      conditional: [
        entry({
          not: { rule: 'NO_SUCH_RULE', resourceType: 'catalog-entity' },
        }),
      ],
    });
    expect(await p.handle({ permission: read }, user)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(
        /opa\.fallback\.conditional for catalog\.entity\.read are invalid.*NO_SUCH_RULE/,
      ),
    );
  });

  it('denies a conditional fallback for a permission of another resource type, and anyone not signed in', async () => {
    const p = withFallback({ conditional: [entry(owned)] });
    const basicRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    expect(await p.handle({ permission: basicRead }, user)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await p.handle({ permission: read })).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('denies everything the fallback does not name, and allows what opa.fallback.allow names', async () => {
    const p = withFallback({
      allow: ['test.allow'],
      conditional: [entry(owned)],
    });
    expect(
      await p.handle(
        { permission: catalogResource('catalog.entity.refresh') },
        user,
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await p.handle({ permission: catalogResource('test.allow') }, user),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});

/*
 * opa.fallback as the backend reads it: the repository's own app-config.yaml and
 * app-config.production.yaml (loaded and merged the way the image loads them), the production
 * refusal of an unconditional fallback, and the principal's claims filled into conditions.
 */
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  fallbackFromConfig,
  fallbackRuleFor,
  FALLBACK_MAX_DEPTH,
  resolveFallbackConditions,
} from './fallback';
import { clientOptionsFromConfig } from './service';

const repo = path.resolve(__dirname, '../../..');
const appConfig = (file: string) => ({
  // only the opa section: the rest holds ${...} substitutions that need the environment
  data: { opa: parse(fs.readFileSync(path.join(repo, file), 'utf8')).opa },
  context: file,
});
const opaConfig = (opa: object) => new ConfigReader({ opa });

const restrictedOrOwned = {
  anyOf: [
    {
      not: {
        rule: 'HAS_ANNOTATION',
        resourceType: 'catalog-entity',
        params: { annotation: 'portal.acme.example/restricted', value: 'true' },
      },
    },
    {
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
      params: { claims: '$claims' },
    },
  ],
};
const entry = (conditions: unknown, extra: object = {}) => ({
  permission: 'catalog.entity.read',
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions,
  ...extra,
});

describe('opa.fallback', () => {
  it("reads the repository's app-config.yaml: catalog reads are conditional, nothing is allowed outright", () => {
    const config = ConfigReader.fromConfigs([appConfig('app-config.yaml')]);
    const fallback = fallbackFromConfig(config, { production: false });
    expect(fallback.allow).toEqual([]);
    expect(fallbackRuleFor(fallback, 'catalog.entity.read')).toMatchObject({
      type: 'conditional',
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: restrictedOrOwned,
    });
    expect(fallbackRuleFor(fallback, 'catalog.entity.refresh')).toBeUndefined();
    expect(
      fallbackRuleFor(fallback, 'catalog.location.create'),
    ).toBeUndefined();
  });

  it('starts in production with app-config.yaml and app-config.production.yaml merged as the image does', () => {
    const config = ConfigReader.fromConfigs([
      appConfig('app-config.yaml'),
      appConfig('app-config.production.yaml'),
    ]);
    const fallback = fallbackFromConfig(config, { production: true });
    expect(fallback.allow).toEqual([]);
    expect(fallbackRuleFor(fallback, 'catalog.entity.read')?.type).toBe(
      'conditional',
    );
  });

  it('refuses, naming opa.fallback.allow, an unconditional fallback in production and only there', () => {
    const config = ConfigReader.fromConfigs([
      appConfig('app-config.yaml'),
      appConfig('app-config.production.yaml'),
      {
        data: { opa: { fallback: { allow: ['catalog.location.read'] } } },
        context: 'override',
      },
    ]);
    expect(() => fallbackFromConfig(config, { production: true })).toThrow(
      'opa.fallback.allow must be empty when NODE_ENV=production: it allows catalog.location.read without a condition',
    );
    expect(() =>
      clientOptionsFromConfig(config, 'http://127.0.0.1:1', {
        NODE_ENV: 'production',
      }),
    ).toThrow(/^opa\.fallback\.allow must be empty/);
    expect(fallbackFromConfig(config, { production: false }).allow).toEqual([
      'catalog.location.read',
    ]);
  });

  it('fills in the principal: $claims with the ownership refs, $userEntityRef with the user', () => {
    const principal = {
      userEntityRef: 'user:default/vic',
      ownershipEntityRefs: ['user:default/vic', 'group:default/partners'],
    };
    const resolved = resolveFallbackConditions(
      {
        allOf: [
          restrictedOrOwned,
          {
            rule: 'X',
            resourceType: 't',
            params: { who: '$userEntityRef', keep: '$claimsX' },
          },
        ],
      },
      principal,
    );
    expect(resolved).toEqual({
      allOf: [
        {
          anyOf: [
            restrictedOrOwned.anyOf[0],
            {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity',
              params: { claims: principal.ownershipEntityRefs },
            },
          ],
        },
        {
          rule: 'X',
          resourceType: 't',
          params: { who: 'user:default/vic', keep: '$claimsX' },
        },
      ],
    });
    // the template is not changed: the next principal gets their own claims
    expect(restrictedOrOwned.anyOf[1]).toEqual({
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
      params: { claims: '$claims' },
    });
  });

  it.each([
    [
      'an empty anyOf',
      { anyOf: [] },
      'opa.fallback.conditional[0].conditions: anyOf must be a non-empty list',
    ],
    [
      'a leaf without a rule',
      { anyOf: [{ params: {} }] },
      'opa.fallback.conditional[0].conditions.anyOf[0]: must be allOf, anyOf, not, or a rule with a name',
    ],
    [
      'a rule for another resource type',
      {
        not: {
          rule: 'HAS_TAG',
          resourceType: 'scaffolder-template',
          params: { tag: 'x' },
        },
      },
      'opa.fallback.conditional[0].conditions.not: rule HAS_TAG must have resourceType catalog-entity',
    ],
    [
      'an unknown placeholder',
      {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: '$groups' },
      },
      'opa.fallback.conditional[0].conditions.params.claims: unknown placeholder $groups; use one of $claims, $userEntityRef',
    ],
  ])('refuses %s, naming where', (_what, conditions, message) => {
    expect(() =>
      fallbackFromConfig(
        opaConfig({ fallback: { conditional: [entry(conditions)] } }),
        { production: false },
      ),
    ).toThrow(message);
  });

  it('refuses conditions nested deeper than the limit', () => {
    let deep: object = {
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
      params: { claims: '$claims' },
    };
    for (let i = 0; i <= FALLBACK_MAX_DEPTH; i++) deep = { not: deep };
    expect(() =>
      fallbackFromConfig(
        opaConfig({ fallback: { conditional: [entry(deep)] } }),
        { production: false },
      ),
    ).toThrow(`nests deeper than ${FALLBACK_MAX_DEPTH} levels`);
  });

  it('refuses a permission named twice, and names missing keys', () => {
    expect(() =>
      fallbackFromConfig(
        opaConfig({
          fallback: {
            allow: ['catalog.entity.read'],
            conditional: [entry(restrictedOrOwned)],
          },
        }),
        {
          production: false,
        },
      ),
    ).toThrow(
      'opa.fallback.conditional[0].permission: catalog.entity.read is named twice in opa.fallback',
    );
    expect(() =>
      fallbackFromConfig(
        opaConfig({
          fallback: {
            conditional: [
              {
                permission: 'catalog.entity.read',
                conditions: restrictedOrOwned,
              },
            ],
          },
        }),
        {
          production: false,
        },
      ),
    ).toThrow(/resourceType/);
  });

  it('denies everything when opa.fallback is absent', () => {
    const fallback = fallbackFromConfig(opaConfig({}), { production: true });
    expect(fallback).toEqual({ allow: [], conditional: [] });
    expect(fallbackRuleFor(fallback, 'catalog.entity.read')).toBeUndefined();
  });
});

/*
 * The contract in policies/README.md, checked both ways: the inputs this module really builds
 * validate against docs/opa-contract/input.v1.schema.json, and the repository's policies, loaded in a
 * real OPA, answer those inputs with documents that validate against the output schemas.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createPermission } from '@backstage/plugin-permission-common';
import {
  callingPlugin,
  HttpOpaClient,
  LocalOpaServer,
  permissionInput,
} from '@internal/plugin-opa-node';
import { findTool } from '@internal/plugin-platform-node';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { BATCH_PATH, DECISION_PATH } from './OpaPermissionPolicy';

import { exampleMemberships } from '@internal/backend-test-utils';

const policies = path.resolve(__dirname, '../../../policies');
const schema = (name: string) =>
  JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../docs/opa-contract', name),
      'utf8',
    ),
  );

const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const validInput = ajv.compile(schema('input.v1.schema.json'));
const validPermissionDecision = ajv.compile(
  schema('permission-decision.schema.json'),
);
const validEnvironmentDecision = ajv.compile(
  schema('environment-request-decision.schema.json'),
);

const permissions = [
  createPermission({
    name: 'catalog.entity.read',
    attributes: { action: 'read' },
    resourceType: 'catalog-entity',
  }),
  createPermission({
    name: 'catalog.entity.delete',
    attributes: { action: 'delete' },
    resourceType: 'catalog-entity',
  }),
  createPermission({
    name: 'catalog.entity.refresh',
    attributes: { action: 'update' },
    resourceType: 'catalog-entity',
  }),
  createPermission({
    name: 'scaffolder.task.create',
    attributes: { action: 'create' },
  }),
  createPermission({
    name: 'scaffolder.action.execute',
    attributes: {},
    resourceType: 'scaffolder-action',
  }),
  createPermission({
    name: 'scaffolder.template.parameter.read',
    attributes: { action: 'read' },
    resourceType: 'scaffolder-template',
  }),
  createPermission({
    name: 'environments.request.approve',
    attributes: { action: 'update' },
  }),
  createPermission({ name: 'kubernetes.proxy', attributes: {} }),
];

describe('the OPA contract (policies/README.md)', () => {
  let opa: LocalOpaServer;
  let client: HttpOpaClient;

  beforeAll(async () => {
    const tool = await findTool(new ConfigReader({}), 'opa');
    opa = await LocalOpaServer.start({
      binary: tool.path,
      policyDir: policies,
    });
    client = new HttpOpaClient({
      url: opa.url,
      cacheTtlMs: 0,
      // what OPA decides, not how fast: a loaded machine may take more than the 200 ms default
      timeoutMs: 5000,
    });
  });
  afterAll(async () => {
    client?.stop();
    await opa?.stop();
  });

  const people = [...exampleMemberships()].map(
    ([userEntityRef, ownershipEntityRefs]) => ({
      userEntityRef,
      ownershipEntityRefs,
    }),
  );

  it('builds inputs that match the input schema, for every person and permission family', () => {
    expect(people.length).toBeGreaterThanOrEqual(6);
    const actor = mockCredentials.user('user:default/dev', {
      actor: { subject: 'plugin:catalog' },
    });
    const plugin = callingPlugin((actor.principal as any).actor.subject);
    expect(plugin).toBe('catalog');
    for (const user of [...people, undefined]) {
      for (const permission of permissions) {
        const input = permissionInput({ permission, user, plugin });
        expect({
          input,
          valid: validInput(input),
          errors: validInput.errors,
        }).toMatchObject({ valid: true });
      }
    }
  });

  it('rejects an input that breaks the schema (a principal without its refs, an unknown action)', () => {
    const good = permissionInput({
      permission: permissions[0],
      user: people[0],
    });
    expect(
      validInput({
        ...good,
        principal: { type: 'user', userEntityRef: 'user:default/x' },
      }),
    ).toBe(false);
    expect(
      validInput({
        ...good,
        permission: { ...good.permission, action: 'destroy' },
      }),
    ).toBe(false);
    expect(validInput({ ...good, version: 2 })).toBe(false);
  });

  it('answers every real input with a decision that matches the decision schema', async () => {
    const inputs = people.flatMap(user =>
      permissions.map(permission => permissionInput({ permission, user })),
    );
    const { result } = await client.query<unknown[]>(BATCH_PATH, {
      queries: inputs,
    });
    expect(result).toHaveLength(inputs.length);
    for (const decision of result) {
      expect({
        decision,
        valid: validPermissionDecision(decision),
        errors: validPermissionDecision.errors,
      }).toMatchObject({ valid: true });
    }
    const one = await client.query(DECISION_PATH, inputs[0]);
    expect(one.result).toEqual(result[0]);
  });

  it('answers an environment request with a document that matches its schema', async () => {
    const dev = people.find(p => p.userEntityRef === 'user:default/dev')!;
    const input = {
      ...permissionInput({
        permission: createPermission({
          name: 'environments.environment.create',
          attributes: { action: 'create' },
        }),
        user: dev,
        plugin: 'environments',
      }),
      resource: {
        blueprint: 'postgres-sandbox',
        team: 'group:default/payments',
        size: 'small',
        ttl_hours: 100,
        estimated_cost_per_hour: 0.05,
        variables: {},
        usage: { count: 1, cost_per_day: 1.2 },
      },
    };
    expect(validInput(input)).toBe(true);
    const { result } = await client.query('portal/environments/request', input);
    expect(validEnvironmentDecision(result)).toBe(true);
    expect(result).toMatchObject({ decision: 'allow', require_approval: true });
  });
});

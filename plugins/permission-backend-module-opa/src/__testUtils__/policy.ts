/*
 * Shared set-up of the OpaPermissionPolicy tests: the catalog's real permission rules as its
 * permission integration router serializes them, a user of the payments team, and a policy with
 * mock logger and auditor.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import { createPermission } from '@backstage/plugin-permission-common';
import { createPermissionIntegrationRouter } from '@backstage/plugin-permission-node';
import { HttpOpaClient } from '@internal/plugin-opa-node';
import express from 'express';
import request from 'supertest';
import { ConditionValidator, RuleMetadata } from '../ConditionValidator';
import { OpaPermissionPolicy } from '../OpaPermissionPolicy';

export const catalogResource = (name: string) =>
  createPermission({
    name,
    attributes: { action: 'update' },
    resourceType: 'catalog-entity',
  });

/** dev of the payments team, as the policy's handle() gets a signed-in user. */
export const user = {
  credentials: mockCredentials.user('user:default/dev'),
  info: undefined as any,
};

/** The rules exactly as the catalog publishes them on its metadata endpoint. */
export async function catalogRulesAsPublished(): Promise<RuleMetadata[]> {
  const app = express().use(
    createPermissionIntegrationRouter({
      resourceType: 'catalog-entity',
      rules: Object.values(permissionRules),
      getResources: async () => [],
    }),
  );
  const res = await request(app).get(
    '/.well-known/backstage/permissions/metadata',
  );
  return res.body.rules;
}

/** A logger and an auditor whose createEvent resolves; call reset() before each test. */
export function policyMocks() {
  const logger = mockServices.logger.mock();
  const auditor = mockServices.auditor.mock();
  const reset = () => {
    jest.clearAllMocks();
    auditor.createEvent.mockResolvedValue({
      success: jest.fn(),
      fail: jest.fn(),
    } as any);
  };
  return { logger, auditor, reset };
}

/** The policy on `opa`, for users of the payments team, checking conditions against `catalogRules`. */
export function policyFor(
  opa: HttpOpaClient,
  catalogRules: RuleMetadata[],
  { logger, auditor }: ReturnType<typeof policyMocks>,
) {
  return new OpaPermissionPolicy({
    opa,
    userInfo: mockServices.userInfo.mock({
      getUserInfo: async () => ({
        userEntityRef: 'user:default/dev',
        ownershipEntityRefs: ['user:default/dev', 'group:default/payments'],
      }),
    }),
    auditor,
    logger,
    validator: new ConditionValidator(async pluginId =>
      pluginId === 'catalog' ? catalogRules : [],
    ),
  });
}

export const auditFlushed = () => new Promise(r => setImmediate(r));

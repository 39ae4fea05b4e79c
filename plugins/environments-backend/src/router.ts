import { HttpAuthService, PermissionsService, UserInfoService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  environmentApprovePermission,
  environmentCreatePermission,
  environmentDeletePermission,
  environmentReadPermission,
  environmentSecretsReadPermission,
  environmentUpdatePermission,
  isEnvironmentState,
} from '@internal/plugin-environments-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { BlueprintCatalog } from './blueprints/BlueprintCatalog';
import { environmentEntity } from './catalogEntities';
import { environmentRules } from './permissions/rules';
import { EnvironmentService, inputError } from './service/EnvironmentService';
import { EnvironmentStore } from './store/EnvironmentStore';

const canSee = createConditionAuthorizer(environmentRules);

/** The environments REST API, under /api/environments. Identity only ever comes from credentials. */
export async function createRouter(options: {
  store: EnvironmentStore;
  service: EnvironmentService;
  blueprints: BlueprintCatalog;
  appBaseUrl: string;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
}): Promise<express.Router> {
  const { store, service, blueprints, httpAuth, userInfo, permissions, appBaseUrl } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  const principalOf = async (req: Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const info = await userInfo.getUserInfo(credentials);
    return { credentials, principal: { userEntityRef: info.userEntityRef, ownershipEntityRefs: info.ownershipEntityRefs } };
  };

  const authorize = async (req: Request, permission: BasicPermission | ResourcePermission, resourceRef?: string) => {
    const { credentials, principal } = await principalOf(req);
    const [decision] = await permissions.authorize(
      [resourceRef ? { permission: permission as ResourcePermission, resourceRef } : { permission: permission as BasicPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`${permission.name} is not allowed for ${principal.userEntityRef}`);
    }
    return principal;
  };

  /** For the catalog's entity provider (service callers only): every environment that is not gone. */
  router.get('/catalog-entities', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const live = await store.list({ states: ['pending_approval', 'queued', 'provisioning', 'active', 'updating', 'destroying', 'quarantined'] });
    res.json({ items: live.map(e => environmentEntity(e, appBaseUrl)) });
  });

  router.get('/blueprints', async (req, res) => {
    await principalOf(req);
    res.json({
      items: blueprints.list().map(b => ({ ...b.blueprint.metadata, ...b.blueprint.spec, module: undefined })),
      errors: blueprints.errors().map(e => ({ file: e.file, message: e.message })),
    });
  });

  router.post('/environments', async (req, res) => {
    const principal = await authorize(req, environmentCreatePermission);
    const { environment, reasons } = await service.create(principal, req.body);
    res.status(environment.state === 'pending_approval' ? 202 : 201).json({ environment, reasons });
  });

  const listQuery = z.object({
    scope: z.enum(['mine', 'team', 'all']).default('team'),
    state: z.string().optional(),
  });

  router.get('/environments', async (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) throw inputError(parsed.error);
    const { credentials, principal } = await principalOf(req);
    const states = parsed.data.state?.split(',');
    if (states?.some(s => !isEnvironmentState(s))) throw new InputError(`state: must be a comma-separated list of environment states`);
    const [decision] = await permissions.authorizeConditional([{ permission: environmentReadPermission }], { credentials });
    if (decision.result === AuthorizeResult.DENY) throw new NotAllowedError('environments.environment.read is not allowed');
    const filter =
      parsed.data.scope === 'mine'
        ? { requestedBy: principal.userEntityRef }
        : parsed.data.scope === 'team'
          ? { owners: principal.ownershipEntityRefs }
          : {};
    const items = (await store.list({ ...filter, states: states as any })).filter(e => canSee(decision, e));
    res.json({ items });
  });

  router.get('/environments/:id', async (req, res) => {
    await authorize(req, environmentReadPermission, req.params.id);
    res.json({ environment: await store.get(req.params.id), history: await store.history(req.params.id) });
  });

  router.get('/environments/:id/runs', async (req, res) => {
    await authorize(req, environmentReadPermission, req.params.id);
    res.json({ items: await store.runs(req.params.id) });
  });

  router.get('/environments/:id/runs/:runId/logs', async (req, res) => {
    await authorize(req, environmentReadPermission, req.params.id);
    const after = Number(req.query.after ?? 0);
    if (!Number.isInteger(after) || after < 0) throw new InputError('after: must be a whole number of log lines');
    const run = await store.getRun(req.params.runId);
    if (run.environmentId !== req.params.id) throw new InputError('runId: is not a run of this environment');
    res.json({ run, items: await store.logs(run.id, after) });
  });

  router.get('/environments/:id/secrets', async (req, res) => {
    await authorize(req, environmentSecretsReadPermission, req.params.id);
    res.json({ secrets: await store.secretOutputs(req.params.id) });
  });

  router.post('/environments/:id/extend', async (req, res) => {
    const principal = await authorize(req, environmentUpdatePermission, req.params.id);
    res.json({ environment: await service.extend(principal, req.params.id, req.body) });
  });

  router.post('/environments/:id/destroy', async (req, res) => {
    const principal = await authorize(req, environmentDeletePermission, req.params.id);
    res.status(202).json({ environment: await service.destroy(principal, req.params.id) });
  });

  router.post('/environments/:id/retry', async (req, res) => {
    const principal = await authorize(req, environmentDeletePermission, req.params.id);
    res.status(202).json({ environment: await service.retry(principal, req.params.id) });
  });

  const decision = z.object({ reason: z.string().max(500).optional() }).strict();
  for (const [path, approve] of [['approve', true], ['reject', false]] as const) {
    router.post(`/environments/:id/${path}`, async (req, res) => {
      const parsed = decision.safeParse(req.body ?? {});
      if (!parsed.success) throw inputError(parsed.error);
      const principal = await authorize(req, environmentApprovePermission);
      res.json({ environment: await service.decide(principal, req.params.id, approve, parsed.data.reason) });
    });
  }

  return router;
}

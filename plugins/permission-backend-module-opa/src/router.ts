import {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { OpaClient } from '@internal/plugin-opa-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { OpaPermissionPolicy } from './OpaPermissionPolicy';
import { RecentRefusals } from './RecentRefusals';

/**
 * Limits of POST /opa/explain's input, in one place: the body as a whole, and each string in it.
 * Backstage's permission names and resource types are far shorter (the longest is under 60).
 */
export const EXPLAIN_LIMITS = {
  /** The whole JSON body, in bytes; a larger body is refused with 400 before it is parsed. */
  bodyBytes: 4096,
  /** permission.name, in characters. */
  nameLength: 200,
  /** permission.resourceType, in characters. */
  resourceTypeLength: 100,
} as const;

const atMost = (n: number) =>
  z.string().min(1).max(n, `must be at most ${n} characters`);
const attributes = z
  .object({ action: z.enum(['create', 'read', 'update', 'delete']).optional() })
  .default({});

const explainRequest = z.object({
  permission: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('basic'),
      name: atMost(EXPLAIN_LIMITS.nameLength),
      attributes,
    }),
    z.object({
      type: z.literal('resource'),
      name: atMost(EXPLAIN_LIMITS.nameLength),
      resourceType: atMost(EXPLAIN_LIMITS.resourceTypeLength),
      attributes,
    }),
  ]),
});

/**
 * Routes under /api/permission/opa:
 * - POST /explain: why the signed-in user gets the decision they get for a permission (the reasons
 *   from the policy), so that a refused action shows the policy's words instead of a bare 403.
 * - GET /refusals: the signed-in user's refusals of the last seconds, newest first, with the
 *   policy's reasons; the app asks for them when an action comes back 403.
 * - GET /status: the OPA client's state (URL, breaker, policy revision).
 */
export async function createOpaRouter(options: {
  policy: OpaPermissionPolicy;
  opa: OpaClient;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  refusals: RecentRefusals;
}): Promise<express.Router> {
  const router = Router();
  // On the explain route only: this router shares the permission plugin's, and its /authorize
  // batches are far larger than an explain request.
  const json = express.json({ limit: EXPLAIN_LIMITS.bodyBytes });
  const explainBody: express.RequestHandler = (req, res, next) =>
    json(req, res, err =>
      next(
        (err as { type?: string } | undefined)?.type === 'entity.too.large'
          ? new InputError(
              `body: must be at most ${EXPLAIN_LIMITS.bodyBytes} bytes`,
            )
          : err,
      ),
    );

  router.post('/opa/explain', explainBody, async (req, res) => {
    const parsed = explainRequest.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        `${['body', ...issue.path].join('.')}: ${issue.message}`,
      );
    }
    // Whose decision: only ever the caller's own credentials.
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const d = await options.policy.explain(
      { permission: parsed.data.permission },
      credentials,
    );
    res.json({
      permission: d.input.permission,
      principal: d.input.principal,
      result: d.result,
      reasons: d.reasons,
      decisionId: d.decisionId,
      policyRevision: d.revision,
      fallback: d.fallback,
    });
  });

  router.get('/opa/refusals', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const { userEntityRef } = await options.userInfo.getUserInfo(credentials);
    res.json({ items: options.refusals.list(userEntityRef) });
  });

  router.get('/opa/status', async (_req, res) => {
    res.json(options.opa.status());
  });

  return router;
}

import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { environmentApprovePermission } from '@internal/plugin-environments-common';
import { parseInput } from '@internal/plugin-platform-node';
import { Request } from 'express';
import { z } from 'zod';
import { Principal } from '../service/Guardrails';
import { EnvironmentRecord } from '../store/types';
import { canSee } from '../service/EnvironmentQueries';
import { Access } from './access';
import { routerWithIds } from './params';
import { RouterOptions } from './RouterOptions';

const decisionBody = z
  .object({
    reason: z.string().max(500, 'must be at most 500 characters').optional(),
  })
  .strict();

/**
 * Approve and reject a pending request: a resource permission on the environment. The policy may
 * answer with a condition (four eyes: not the requester), applied here to the stored environment;
 * a refusal by that condition says why, since the permission framework passes no reasons with a
 * condition.
 */
export function approvalsRouter(options: RouterOptions) {
  const { store, service } = options;
  const access = new Access(options);
  const router = routerWithIds();

  const mayDecide = async (
    req: Request,
    env: EnvironmentRecord,
  ): Promise<Principal> => {
    const { credentials, principal } = await access.principalOf(req);
    const decision = await access.conditionalDecision(
      credentials,
      environmentApprovePermission,
    );
    const who = principal.userEntityRef;
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError(
        `environments.request.approve is not allowed for ${who}`,
      );
    if (
      decision.result === AuthorizeResult.CONDITIONAL &&
      !canSee(decision, env)
    ) {
      if (env.requestedBy === who) {
        throw new NotAllowedError(
          `environments.request.approve is not allowed for ${who} on this environment: four eyes, a request is approved ` +
            `or rejected by someone other than its requester, and you requested it; ask another platform engineer`,
        );
      }
      throw new NotAllowedError(
        `environments.request.approve is not allowed for ${who} on this environment (the policy's conditions do not hold)`,
      );
    }
    return principal;
  };

  for (const [path, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    router.post(`/environments/:id/${path}`, async (req, res) => {
      const { reason } = parseInput(decisionBody, req.body ?? {});
      const principal = await mayDecide(req, await store.get(req.params.id));
      res.json({
        environment: await service.decide(
          principal,
          req.params.id,
          approve,
          reason,
        ),
      });
    });
  }

  return router;
}

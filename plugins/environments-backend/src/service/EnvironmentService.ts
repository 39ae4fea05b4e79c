import { AuditorService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  DESTROYABLE_STATES,
  resolveVariables,
} from '@internal/plugin-environments-common';
import { parseInput } from '@internal/plugin-platform-node';
import { BlueprintCatalog } from '../blueprints/BlueprintCatalog';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { EnvironmentRecord } from '../store/types';
import { Guardrails, Principal } from './Guardrails';
import { RefusalRateLimit } from './RefusalRateLimit';
import { createRequestSchema, extendRequestSchema } from './requestSchemas';

/**
 * Requests, extensions, destruction, approvals: everything a person does to an environment,
 * checked (input, blueprint, guardrails), stored with its history, and audited.
 */
export class EnvironmentService {
  constructor(
    private readonly deps: {
      store: EnvironmentStore;
      blueprints: BlueprintCatalog;
      guardrails: Guardrails;
      auditor?: AuditorService;
      /** Refused requests per person; without it, refusals are not limited. */
      refusalLimit?: RefusalRateLimit;
    },
  ) {}

  async create(
    principal: Principal,
    body: unknown,
  ): Promise<{ environment: EnvironmentRecord; reasons: string[] }> {
    const req = parseInput(createRequestSchema, body);
    const loaded = this.deps.blueprints.get(req.blueprint);
    if (!loaded || !loaded.blueprint.spec.applyable) {
      const offered = this.deps.blueprints
        .list()
        .filter(b => b.blueprint.spec.applyable)
        .map(b => b.blueprint.metadata.name);
      throw new InputError(
        `blueprint: '${
          req.blueprint
        }' is not a blueprint that can be requested (blueprints: ${offered.join(
          ', ',
        )})`,
      );
    }
    const { spec } = loaded.blueprint;
    const size = req.size ?? spec.defaultSize ?? Object.keys(spec.sizes)[0];
    // an own size only: 'constructor' or 'toString' are not sizes, whatever Object.prototype has
    const sizeSpec = Object.hasOwn(spec.sizes, size)
      ? spec.sizes[size]
      : undefined;
    if (!sizeSpec)
      throw new InputError(
        `size: '${size}' is not a size of ${
          req.blueprint
        } (sizes: ${Object.keys(spec.sizes).join(', ')})`,
      );
    const ttlHours = req.ttlHours ?? spec.ttl.defaultHours;
    if (ttlHours > spec.ttl.maxHours) {
      throw new InputError(
        `ttlHours: ${ttlHours} is over ${req.blueprint}'s maximum of ${spec.ttl.maxHours} hours`,
      );
    }
    const { variables, problems } = resolveVariables(
      loaded.blueprint,
      req.variables,
    );
    if (problems.length)
      throw new InputError(`${problems[0].field}: ${problems[0].message}`);

    // A person over the refusal limit gets a 429 and nothing is stored. (Checked before the
    // admission's transaction, which holds SQLite's only connection; concurrent requests of one
    // person may pass the limit by the few that are in flight.)
    await this.deps.refusalLimit?.check(principal.userEntityRef);
    let answer: Awaited<ReturnType<Guardrails['ask']>> | undefined;
    const { environment } = await this.deps.store.admit(
      {
        name: req.name,
        blueprint: req.blueprint,
        owner: req.owner,
        requestedBy: principal.userEntityRef,
        size,
        variables: { ...variables, ...sizeSpec.variables },
        costPerHour: sizeSpec.costPerHour,
        ttlHours,
      },
      async usage => {
        answer = await this.deps.guardrails.ask(principal, {
          action: 'create',
          blueprint: req.blueprint,
          team: req.owner,
          size,
          ttlHours,
          costPerHour: sizeSpec.costPerHour,
          variables,
          usage,
        });
        const reason = answer.reasons.join('; ');
        if (answer.decision === 'deny')
          return { state: 'rejected', reason, decisionId: answer.decisionId };
        if (answer.requireApproval)
          return {
            state: 'pending_approval',
            reason,
            decisionId: answer.decisionId,
          };
        return {
          state: 'queued',
          reason: reason || 'allowed by the guardrails',
          decisionId: answer.decisionId,
        };
      },
    );
    await this.audit('environment-request', principal, environment, {
      decision: answer?.decision ?? null,
      reasons: answer?.reasons ?? [],
      decisionId: answer?.decisionId ?? null,
    });
    if (environment.state === 'rejected') {
      throw new NotAllowedError(
        `the request was refused by the guardrails: ${answer!.reasons.join(
          '; ',
        )}`,
      );
    }
    return { environment, reasons: answer!.reasons };
  }

  async extend(
    principal: Principal,
    id: string,
    body: unknown,
  ): Promise<EnvironmentRecord> {
    const { hours } = parseInput(extendRequestSchema, body);
    const env = await this.deps.store.get(id);
    const loaded = this.deps.blueprints.get(env.blueprint);
    if (!loaded)
      throw new NotFoundError(
        `blueprint ${env.blueprint} is no longer offered`,
      );
    const base =
      env.expiresAt && env.expiresAt.getTime() > Date.now()
        ? env.expiresAt
        : new Date();
    const expiresAt = new Date(base.getTime() + hours * 3600_000);
    const totalHours = Math.ceil(
      (expiresAt.getTime() - env.createdAt.getTime()) / 3600_000,
    );
    if (totalHours > loaded.blueprint.spec.ttl.maxHours) {
      throw new InputError(
        `hours: extending by ${hours} would make the environment live ${totalHours} hours, over ${env.blueprint}'s maximum of ${loaded.blueprint.spec.ttl.maxHours}`,
      );
    }
    const usage = await this.deps.store.usage(env.owner);
    const answer = await this.deps.guardrails.ask(principal, {
      action: 'update',
      blueprint: env.blueprint,
      team: env.owner,
      size: env.size,
      ttlHours: totalHours,
      costPerHour: env.costPerHour,
      variables: env.variables,
      // this environment is already counted; the policy checks the request as if it were new
      usage: {
        count: Math.max(0, usage.count - 1),
        costPerDay: Math.max(0, usage.costPerDay - env.costPerHour * 24),
      },
    });
    if (answer.decision === 'deny' || answer.requireApproval) {
      await this.audit('environment-extend', principal, env, {
        decision: 'deny',
        reasons: answer.reasons,
        decisionId: answer.decisionId ?? null,
      });
      throw new NotAllowedError(
        `the extension was refused by the guardrails: ${
          answer.reasons.join('; ') || 'it would need approval'
        }`,
      );
    }
    const updated = await this.deps.store.extend(id, expiresAt, {
      actor: principal.userEntityRef,
      reason: `extended by ${hours} hours, to ${expiresAt.toISOString()}`,
      decisionId: answer.decisionId,
    });
    await this.audit('environment-extend', principal, updated, {
      decision: 'allow',
      reasons: answer.reasons,
      decisionId: answer.decisionId ?? null,
    });
    return updated;
  }

  async destroy(principal: Principal, id: string): Promise<EnvironmentRecord> {
    const env = await this.deps.store.transition(id, 'destroying', {
      actor: principal.userEntityRef,
      reason: 'destroy requested',
      expectFrom: [...DESTROYABLE_STATES],
      enqueue: 'destroy',
    });
    await this.audit('environment-destroy', principal, env, {});
    return env;
  }

  /**
   * Tries again what failed: a quarantined environment's destroy, from a fresh first attempt with
   * its retries and backoff. (A failed provisioning is cleaned up by itself; there is nothing to
   * retry.)
   */
  async retry(principal: Principal, id: string): Promise<EnvironmentRecord> {
    const current = await this.deps.store.get(id);
    if (current.state !== 'quarantined') {
      throw new ConflictError(
        `only a quarantined environment's destroy can be retried; this one is ${current.state}`,
      );
    }
    const env = await this.deps.store.transition(id, 'destroying', {
      actor: principal.userEntityRef,
      reason: 'destroy retried',
      expectFrom: ['quarantined'],
      enqueue: 'destroy',
    });
    await this.audit('environment-retry', principal, env, {});
    return env;
  }

  async decide(
    principal: Principal,
    id: string,
    approve: boolean,
    reason?: string,
  ): Promise<EnvironmentRecord> {
    const env = await this.deps.store.transition(
      id,
      approve ? 'queued' : 'rejected',
      {
        actor: principal.userEntityRef,
        reason: reason ?? (approve ? 'approved' : 'rejected'),
        expectFrom: ['pending_approval'],
        enqueue: approve ? 'apply' : undefined,
      },
    );
    await this.audit(
      approve ? 'environment-approve' : 'environment-reject',
      principal,
      env,
      { reason: reason ?? null },
    );
    return env;
  }

  /** Queues a refresh-only plan for every active environment; the worker sets or clears its drift flag. */
  async checkDrift(): Promise<number> {
    const active = await this.deps.store.list({ states: ['active'] });
    for (const env of active)
      await this.deps.store.runs.enqueue(env.id, 'refresh');
    return active.length;
  }

  /** Sends every active environment whose expiry has passed to destroying (the reaper). */
  async reapExpired(now = new Date()): Promise<EnvironmentRecord[]> {
    const reaped: EnvironmentRecord[] = [];
    for (const env of await this.deps.store.expiries.expired(now)) {
      try {
        reaped.push(
          await this.deps.store.transition(env.id, 'destroying', {
            actor: 'system:reaper',
            reason: `TTL reached (expired ${env.expiresAt?.toISOString()})`,
            expectFrom: ['active'],
            enqueue: 'destroy',
          }),
        );
      } catch {
        // changed meanwhile (destroyed by its owner, or reaped by another replica)
      }
    }
    return reaped;
  }

  private async audit(
    eventId: string,
    principal: Principal,
    env: EnvironmentRecord,
    meta: Record<string, any>,
  ) {
    if (!this.deps.auditor) return;
    const event = await this.deps.auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      meta: {
        actor: principal.userEntityRef,
        via: principal.via ?? 'rest',
        environment: env.id,
        name: env.name,
        owner: env.owner,
        state: env.state,
        ...meta,
      },
    });
    await event.success();
  }
}

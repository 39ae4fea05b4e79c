import {
  AuditorService,
  BackstageCredentials,
  BackstageUserInfo,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PermissionCriteria,
  PermissionCondition,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  cacheKeyOf,
  callingPlugin,
  OpaClient,
  OpaInputV1,
  OpaUnavailableError,
  permissionInput,
  PERMISSIONS_DECISION_PATH,
  resolveFallbackConditions,
} from '@internal/plugin-opa-node';
import { ConditionValidator } from './ConditionValidator';
import { decisionSchema } from './decisionSchema';
import { RecentRefusals } from './RecentRefusals';

export const DECISION_PATH = PERMISSIONS_DECISION_PATH;
export const BATCH_PATH = 'portal/permissions/batch';

/** A decision with what the audit trail and the explain endpoint need. */
export interface ExplainedDecision {
  result: 'allow' | 'deny' | 'conditional';
  reasons: string[];
  decisionId?: string;
  revision?: string;
  /** Set when OPA could not answer and the fallback decided. */
  fallback?: string;
  conditions?: { pluginId: string; resourceType: string; conditions: unknown };
  input: OpaInputV1;
}

/**
 * The portal's PermissionPolicy: asks OPA (`data.portal.permissions.decision`, batched through
 * `data.portal.permissions.batch`) with the full input document, maps the answer to ALLOW, DENY
 * or CONDITIONAL, checks conditions against the rules their plugin registered, fails closed when
 * OPA cannot answer, and audits every deny and every decision on a write.
 */
export class OpaPermissionPolicy implements PermissionPolicy {
  private readonly infos = new WeakMap<
    BackstageCredentials,
    Promise<BackstageUserInfo>
  >();
  private readonly pendingAudit: ExplainedDecision[] = [];

  constructor(
    private readonly deps: {
      opa: OpaClient;
      userInfo: UserInfoService;
      validator: ConditionValidator;
      auditor: AuditorService;
      logger: LoggerService;
      refusals?: RecentRefusals;
    },
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const d = await this.explain(request, user?.credentials);
    if (d.result === 'conditional' && d.conditions) {
      return {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: d.conditions.pluginId,
        resourceType: d.conditions.resourceType,
        conditions: d.conditions
          .conditions as PermissionCriteria<PermissionCondition>,
      };
    }
    return {
      result:
        d.result === 'allow' ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    };
  }

  /** The decision with its reasons, as `handle` reaches it, and audited the same way. */
  async explain(
    request: PolicyQuery,
    credentials?: BackstageCredentials,
  ): Promise<ExplainedDecision> {
    const info = credentials ? await this.userInfoOf(credentials) : undefined;
    const actor = (
      credentials?.principal as { actor?: { subject?: string } } | undefined
    )?.actor;
    const input = permissionInput({
      permission: request.permission,
      user: info,
      plugin: callingPlugin(actor?.subject),
    });
    const decision = await this.decide(input);
    if (
      decision.result === 'deny' ||
      input.permission.action !== 'read' ||
      decision.fallback
    ) {
      this.audit(decision);
    }
    if (decision.result !== 'allow' && input.principal.type === 'user') {
      this.deps.refusals?.record(input.principal.userEntityRef, {
        permission: input.permission.name,
        read: input.permission.action === 'read',
        result: decision.result,
        reasons: decision.reasons,
      });
    }
    return decision;
  }

  private async decide(input: OpaInputV1): Promise<ExplainedDecision> {
    const name = input.permission.name;
    let answer;
    try {
      answer = await this.deps.opa.query(DECISION_PATH, input, {
        cacheKey: cacheKeyOf(input),
        batchPath: BATCH_PATH,
      });
    } catch (e) {
      return this.fallback(input, e as Error);
    }
    const parsed = decisionSchema.safeParse(answer.result);
    if (!parsed.success) {
      return this.fallback(
        input,
        new OpaUnavailableError(
          'malformed',
          `OPA's ${DECISION_PATH} is not a decision: ${parsed.error.issues
            .map(i => `${i.path.join('.') || 'result'}: ${i.message}`)
            .join('; ')}`,
        ),
      );
    }
    const d = parsed.data;
    const base = {
      reasons: d.reasons,
      decisionId: answer.decisionId,
      revision: answer.revision,
      input,
    };
    if (d.decision !== 'conditional') return { ...base, result: d.decision };

    const problems = await this.checkConditions(
      input,
      d.plugin_id,
      d.resource_type,
      d.conditions,
    );
    if (problems.length > 0) {
      this.deps.logger.error(
        `OPA returned invalid conditions for ${name} (decision ${
          answer.decisionId ?? 'without id'
        }); denying: ${problems.join('; ')}`,
      );
      return {
        ...base,
        result: 'deny',
        reasons: [
          `the policy's conditions for ${name} are invalid, so it is denied: ${problems[0]}`,
        ],
      };
    }
    return {
      ...base,
      result: 'conditional',
      conditions: {
        pluginId: d.plugin_id,
        resourceType: d.resource_type,
        conditions: d.conditions,
      },
    };
  }

  /** Conditions are for the permission's resource type, with rules its plugin publishes. */
  private async checkConditions(
    input: OpaInputV1,
    pluginId: string,
    resourceType: string,
    conditions: unknown,
  ): Promise<string[]> {
    if (input.permission.resourceType !== resourceType) {
      return [
        `conditions are for resource type '${resourceType}', but ${
          input.permission.name
        } is for '${input.permission.resourceType ?? 'no resource type'}'`,
      ];
    }
    return this.deps.validator.validate(pluginId, resourceType, conditions);
  }

  /**
   * OPA could not answer: `opa.fallback` decides. A conditional fallback is filled in with the
   * principal's claims and checked like OPA's conditions; anything else is denied (fail closed).
   */
  private async fallback(
    input: OpaInputV1,
    error: Error,
  ): Promise<ExplainedDecision> {
    const name = input.permission.name;
    const rule = this.deps.opa.fallbackFor(name);
    const base = {
      fallback: (error as OpaUnavailableError).failure ?? 'malformed',
      input,
    };
    const unavailable = `OPA could not decide ${name} (${error.message})`;
    const deny = (): ExplainedDecision => ({
      ...base,
      result: 'deny',
      reasons: [
        `the policy service is unavailable, so ${name} is denied; try again shortly`,
      ],
    });

    if (rule?.type === 'allow') {
      this.deps.logger.warn(`${unavailable}; allowed by opa.fallback.allow`);
      return {
        ...base,
        result: 'allow',
        reasons: [
          `the policy service is unavailable; ${name} is allowed by the configured fallback`,
        ],
      };
    }
    if (rule?.type === 'conditional' && input.principal.type === 'user') {
      const conditions = resolveFallbackConditions(
        rule.conditions,
        input.principal,
      );
      const problems = await this.checkConditions(
        input,
        rule.pluginId,
        rule.resourceType,
        conditions,
      );
      if (problems.length > 0) {
        this.deps.logger.error(
          `${unavailable}; the conditions of opa.fallback.conditional for ${name} are invalid, so it is denied: ${problems.join(
            '; ',
          )}`,
        );
        return deny();
      }
      this.deps.logger.warn(
        `${unavailable}; answered with the conditions of opa.fallback.conditional`,
      );
      return {
        ...base,
        result: 'conditional',
        reasons: [
          `the policy service is unavailable; ${name} is limited by the configured fallback${
            rule.reason ? `: ${rule.reason}` : ''
          }`,
        ],
        conditions: {
          pluginId: rule.pluginId,
          resourceType: rule.resourceType,
          conditions,
        },
      };
    }
    this.deps.logger.warn(`${unavailable}; denied (fail closed)`);
    return deny();
  }

  private userInfoOf(
    credentials: BackstageCredentials,
  ): Promise<BackstageUserInfo> | undefined {
    if ((credentials.principal as { type?: string }).type !== 'user')
      return undefined;
    let info = this.infos.get(credentials);
    if (!info) {
      info = this.deps.userInfo.getUserInfo(credentials);
      this.infos.set(credentials, info);
    }
    return info;
  }

  /**
   * Audits a decision. Decisions made in the same tick (one authorize batch) are recorded as one
   * audit event per principal, listing each decision, so a batch of 100 costs one log record.
   */
  private audit(d: ExplainedDecision): void {
    if (this.pendingAudit.length === 0) setImmediate(() => this.flushAudit());
    this.pendingAudit.push(d);
  }

  private flushAudit(): void {
    const byPrincipal = new Map<string, ExplainedDecision[]>();
    for (const d of this.pendingAudit.splice(0)) {
      const who =
        d.input.principal.type === 'user'
          ? d.input.principal.userEntityRef
          : d.input.principal.type;
      byPrincipal.set(who, [...(byPrincipal.get(who) ?? []), d]);
    }
    for (const [principal, decisions] of byPrincipal) {
      this.deps.auditor
        .createEvent({
          eventId: 'policy-decision',
          severityLevel: decisions.some(d => d.result === 'deny')
            ? 'medium'
            : 'low',
          meta: {
            principal,
            plugin: decisions[0].input.context.plugin ?? null,
            decisions: decisions.map(d => ({
              permission: d.input.permission.name,
              action: d.input.permission.action ?? null,
              result: d.result,
              reasons: d.reasons,
              decisionId: d.decisionId ?? null,
              policyRevision: d.revision ?? null,
              fallback: d.fallback ?? null,
            })),
          },
        })
        .then(event => event.success())
        .catch(e =>
          this.deps.logger.error(`audit of permission decisions failed: ${e}`),
        );
    }
  }
}

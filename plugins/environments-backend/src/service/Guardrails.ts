import {
  environmentCreatePermission,
  environmentUpdatePermission,
} from '@internal/plugin-environments-common';
import { OpaClient, permissionInput } from '@internal/plugin-opa-node';

export interface Principal {
  userEntityRef: string;
  ownershipEntityRefs: string[];
  /** How the person acted: through the REST API (the portal's pages), or an action (an AI assistant over MCP). */
  via?: 'rest' | 'action';
}

/** What the guardrails were asked about. */
export interface GuardrailQuestion {
  action: 'create' | 'update';
  blueprint: string;
  team: string;
  size: string;
  ttlHours: number;
  costPerHour: number;
  variables: Record<string, unknown>;
  usage: { count: number; costPerDay: number };
}

export interface GuardrailAnswer {
  decision: 'allow' | 'deny';
  reasons: string[];
  requireApproval: boolean;
  decisionId?: string;
}

export const GUARDRAILS_PATH = 'portal/environments/request';

/**
 * Asks OPA's data.portal.environments.request whether an environment may be requested (or
 * extended), with the principal from credentials and the team's current usage. Fails closed: an
 * OPA that cannot answer, or answers something else than the contract, is a deny with a reason.
 */
export class Guardrails {
  constructor(private readonly opa: OpaClient) {}

  async ask(
    principal: Principal,
    q: GuardrailQuestion,
  ): Promise<GuardrailAnswer> {
    const input = permissionInput({
      permission:
        q.action === 'create'
          ? environmentCreatePermission
          : environmentUpdatePermission,
      user: principal,
      plugin: 'environments',
      resource: {
        blueprint: q.blueprint,
        team: q.team,
        size: q.size,
        ttl_hours: q.ttlHours,
        estimated_cost_per_hour: q.costPerHour,
        variables: q.variables,
        usage: { count: q.usage.count, cost_per_day: q.usage.costPerDay },
      },
    });
    try {
      const { result, decisionId } = await this.opa.query<any>(
        GUARDRAILS_PATH,
        input,
      );
      if (
        !result ||
        !['allow', 'deny'].includes(result.decision) ||
        !Array.isArray(result.reasons) ||
        typeof result.require_approval !== 'boolean'
      ) {
        return {
          decision: 'deny',
          reasons: [
            'the guardrail policy answered something unexpected, so the request is refused',
          ],
          requireApproval: false,
          decisionId,
        };
      }
      return {
        decision: result.decision,
        reasons: result.reasons,
        requireApproval: result.require_approval,
        decisionId,
      };
    } catch (e) {
      return {
        decision: 'deny',
        reasons: [
          `the policy service is unavailable, so the request is refused; try again shortly (${
            (e as Error).message
          })`,
        ],
        requireApproval: false,
      };
    }
  }
}

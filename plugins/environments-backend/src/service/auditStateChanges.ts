import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { StateChange } from '../store/types';

/**
 * Records every committed state change of an environment through the auditor service, whoever
 * made it: a person's request, approval, extension or destroy, and the worker's and the reaper's
 * transitions (provisioning, active, destroying, destroyed, quarantined). The event carries who
 * (the actor: a user ref, or system:<worker> / system:reaper), from which state to which, why, and
 * the OPA decision id when a policy decided. The actions themselves (environment-request,
 * -extend, -destroy, ...) are audited by EnvironmentService with the principal's credentials.
 * Returns the unsubscriber.
 */
export function auditStateChanges(
  store: EnvironmentStore,
  auditor: AuditorService,
  logger?: LoggerService,
): () => void {
  return store.onStateChange(change => {
    void record(auditor, change).catch(e =>
      logger?.error(
        `could not audit environment ${change.environment.id} ${
          change.from ?? ''
        }->${change.to}: ${e}`,
      ),
    );
  });
}

async function record(auditor: AuditorService, change: StateChange) {
  const event = await auditor.createEvent({
    eventId: 'environment-state-change',
    severityLevel: change.to === 'quarantined' ? 'high' : 'medium',
    meta: {
      environment: change.environment.id,
      name: change.environment.name,
      owner: change.environment.owner,
      blueprint: change.environment.blueprint,
      from: change.from,
      to: change.to,
      actor: change.actor,
      reason: change.reason ?? null,
      decisionId: change.decisionId ?? null,
      at: change.at.toISOString(),
    },
  });
  await event.success();
}

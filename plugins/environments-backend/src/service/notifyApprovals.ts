import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { StateChange } from '../store/types';

/** Who hears of a request that waits for approval (environments.approvals, read by config.ts). */
export interface NotifyApprovalsOptions {
  /** Entity refs: a group's members, or single users (default the platform team). */
  notify: string[];
}

/**
 * Tells people of approvals through Backstage notifications, each with a link to the
 * environment's page: the approvers (`options.notify`, the platform team; never the requester,
 * who may not approve their own) when a request goes to pending_approval, and the requester when
 * it is approved (pending_approval -> queued) or rejected (pending_approval -> rejected), with who
 * decided and why. One notification per environment and recipient (scope
 * environment-approval:<id>): a repeat replaces it. Nothing secret is sent (no variables, no
 * outputs). onStateChange fires on the replica that committed the change only, so each is sent
 * once; a failed send is logged, never thrown into the store. Returns the unsubscriber.
 */
export function notifyApprovals(
  store: EnvironmentStore,
  notifications: NotificationService,
  logger: LoggerService,
  options: NotifyApprovalsOptions,
): () => void {
  return store.onStateChange(change => {
    const message = approvalNotification(change, options);
    if (!message) return;
    void Promise.resolve()
      .then(() => notifications.send(message))
      .catch(e =>
        logger.warn(
          `could not notify of environment ${change.environment.id} ${
            change.from ?? ''
          }->${change.to}: ${e}`,
        ),
      );
  });
}

/** The notification a state change calls for, if any. */
function approvalNotification(
  change: StateChange,
  options: NotifyApprovalsOptions,
): NotificationSendOptions | undefined {
  const env = change.environment;
  const link = `/environments/${env.id}`;
  const scope = `environment-approval:${env.id}`;
  const what = `${env.name} (${env.blueprint}, size ${env.size}, for ${env.owner})`;
  if (change.to === 'pending_approval') {
    if (!options.notify.length) return undefined;
    return {
      recipients: {
        type: 'entity',
        entityRef: options.notify,
        excludeEntityRef: env.requestedBy,
      },
      payload: {
        title: `Sandbox ${env.name} waits for approval`,
        description: `${env.requestedBy} requested ${what}: ${
          env.ttlHours
        } hours at about ${(env.costPerHour * 24).toFixed(
          2,
        )} a day. It needs approval: ${
          change.reason || 'the guardrails said so'
        }.`,
        link,
        severity: 'normal',
        topic: 'environment-approval',
        scope,
      },
    };
  }
  if (change.from !== 'pending_approval') return undefined;
  if (change.to !== 'queued' && change.to !== 'rejected') return undefined;
  const verdict = change.to === 'queued' ? 'approved' : 'rejected';
  // EnvironmentService.decide records the verdict itself when the approver gave no reason.
  const reason =
    change.reason && change.reason !== verdict
      ? `: ${change.reason}`
      : ' (no reason given)';
  return {
    recipients: { type: 'entity', entityRef: env.requestedBy },
    payload: {
      title: `Sandbox ${env.name} was ${verdict}`,
      description: `${
        change.actor
      } ${verdict} your request for ${what}${reason}.${
        verdict === 'approved' ? ' It is queued to be provisioned.' : ''
      }`,
      link,
      severity: 'normal',
      topic: 'environment-approval',
      scope,
    },
  };
}

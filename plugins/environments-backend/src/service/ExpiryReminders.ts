import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { EnvironmentStore } from '../store/EnvironmentStore';

export interface ExpiryRemindersOptions {
  /** How long before its expiry an environment's owners hear about it (default 24 hours). */
  beforeHours?: number;
  logger?: LoggerService;
  auditor?: AuditorService;
}

/**
 * Tells an environment's requester and owning team, through Backstage notifications, that it
 * will be destroyed soon, with a link to its page where they can extend it. Once per expiry: an
 * extension moves the expiry, and the reminder is due again before the new one.
 */
export class ExpiryReminders {
  constructor(
    private readonly store: EnvironmentStore,
    private readonly notifications: NotificationService,
    private readonly options: ExpiryRemindersOptions = {},
  ) {}

  /** Sends the reminders due at `now`; returns the ids of the environments reminded. */
  async send(now = new Date()): Promise<string[]> {
    const beforeHours = this.options.beforeHours ?? 24;
    const due = await this.store.expiries.dueForReminder(
      now,
      new Date(now.getTime() + beforeHours * 3600_000),
    );
    const sent: string[] = [];
    for (const env of due) {
      // Claimed first, so that two replicas never both send it; a failed send is logged, not retried.
      if (
        !env.expiresAt ||
        !(await this.store.expiries.claimReminder(env.id, env.expiresAt))
      )
        continue;
      const hours = Math.max(
        1,
        Math.round((env.expiresAt.getTime() - now.getTime()) / 3600_000),
      );
      try {
        await this.notifications.send({
          recipients: {
            type: 'entity',
            entityRef: [env.requestedBy, env.owner],
          },
          payload: {
            title: `Sandbox ${env.name} expires in ${hours} hour${
              hours === 1 ? '' : 's'
            }`,
            description: `${env.name} (${env.blueprint}, ${
              env.owner
            }) will be destroyed at ${env.expiresAt.toISOString()}. Extend it on its page if you still need it.`,
            link: `/environments/${env.id}`,
            severity: hours <= 2 ? 'high' : 'normal',
            topic: 'environment-expiry',
            scope: `environment-expiry:${env.id}`,
          },
        });
        sent.push(env.id);
        const event = await this.options.auditor?.createEvent({
          eventId: 'environment-expiry-reminder',
          severityLevel: 'low',
          meta: {
            actor: 'system:reminders',
            environment: env.id,
            owner: env.owner,
            requestedBy: env.requestedBy,
            expiresAt: env.expiresAt.toISOString(),
          },
        });
        await event?.success();
      } catch (e) {
        this.options.logger?.warn(
          `could not send the expiry reminder of environment ${env.id}: ${e}`,
        );
      }
    }
    return sent;
  }
}

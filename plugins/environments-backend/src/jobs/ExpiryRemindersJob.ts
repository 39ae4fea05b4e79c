import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { JobContext } from './JobContext';

export interface ExpiryRemindersDeps {
  store: EnvironmentStore;
  notifications: NotificationService;
  logger: LoggerService;
  auditor?: AuditorService;
}

/**
 * Tells an environment's requester and owning team, through Backstage notifications, that it
 * will be destroyed soon (`environments.reminders.before` its expiry), with a link to its page
 * where they can extend it. Once per expiry: an extension moves the expiry, and the reminder is
 * due again before the new one. Every 5 minutes, on one replica at a time.
 */
export class ExpiryRemindersJob {
  static readonly id = 'environments-reminders';

  static async start(
    { scheduler, logger, config }: JobContext,
    deps: Omit<ExpiryRemindersDeps, 'logger'>,
  ): Promise<ExpiryRemindersJob> {
    const job = new ExpiryRemindersJob(
      { ...deps, logger },
      { before: config.reminders.before },
    );
    await scheduler.scheduleTask({
      id: ExpiryRemindersJob.id,
      scope: 'global',
      frequency: { minutes: 5 },
      timeout: { minutes: 2 },
      fn: async () => {
        await job.run();
      },
    });
    return job;
  }

  constructor(
    private readonly deps: ExpiryRemindersDeps,
    private readonly options: { before: HumanDuration },
  ) {}

  /** Sends the reminders due at `now`; returns the ids of the environments reminded. */
  async run(now = new Date()): Promise<string[]> {
    const due = await this.deps.store.expiries.dueForReminder(
      now,
      new Date(now.getTime() + durationToMilliseconds(this.options.before)),
    );
    const sent: string[] = [];
    for (const env of due) {
      // Claimed first, so that two replicas never both send it; a failed send is logged, not retried.
      if (
        !env.expiresAt ||
        !(await this.deps.store.expiries.claimReminder(env.id, env.expiresAt))
      )
        continue;
      const hours = Math.max(
        1,
        Math.round((env.expiresAt.getTime() - now.getTime()) / 3600_000),
      );
      try {
        await this.deps.notifications.send({
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
        const event = await this.deps.auditor?.createEvent({
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
        this.deps.logger.warn(
          `could not send the expiry reminder of environment ${env.id}: ${e}`,
        );
      }
    }
    if (sent.length)
      this.deps.logger.info(
        `sent expiry reminders for ${sent.length} environment(s)`,
      );
    return sent;
  }
}

import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  canReach,
  Environment,
  EnvironmentState,
} from '@internal/plugin-environments-common';
import { EnvironmentsClient } from './EnvironmentsClient';

/**
 * Waits until the environment is `until`, printing each state change and the run log as it
 * arrives, so the template's task log shows OpenTofu's progress. Fails as soon as the environment
 * can no longer become `until` (the lifecycle's transitions say so), when a destroy ends
 * quarantined (a person must act), or after the timeout.
 */
export async function follow(
  client: EnvironmentsClient,
  credentials: BackstageCredentials,
  id: string,
  until: EnvironmentState,
  logger: LoggerService,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<Environment> {
  const deadline = Date.now() + options.timeoutMs;
  const seen = new Map<string, number>();
  let last = '';
  for (;;) {
    const { environment } = await client.get(credentials, id);
    if (environment.state !== last) {
      logger.info(`environment ${environment.name} is ${environment.state}`);
      last = environment.state;
    }
    // The latest runs, newest first from the API: printed oldest first, each log page by page.
    for (const run of (await client.runs(credentials, id)).items
      .slice()
      .reverse()) {
      for (;;) {
        const { items, nextCursor } = await client.logs(
          credentials,
          id,
          run.id,
          seen.get(run.id) ?? 0,
        );
        for (const line of items) logger.info(`[${run.kind}] ${line.message}`);
        if (items.length) seen.set(run.id, items[items.length - 1].seq);
        if (!nextCursor) break;
      }
    }
    if (environment.state === until) return environment;
    if (until === 'destroyed' && environment.state === 'quarantined') {
      throw new Error(
        `environment ${environment.name} could not be destroyed and is quarantined; the platform team has been asked to act`,
      );
    }
    if (!canReach(environment.state, until)) {
      throw new Error(
        `environment ${environment.name} is ${environment.state}, not ${until}; see its page for the run log`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `environment ${environment.name} is still ${
          environment.state
        } after ${Math.round(options.timeoutMs / 60000)} minutes`,
      );
    }
    await new Promise(r => setTimeout(r, options.intervalMs ?? 2000));
  }
}

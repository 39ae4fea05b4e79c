/*
 * Test-only: what the scheduled jobs' tests share (a job context whose scheduler records what a
 * job asks for, and an active environment with a given expiry). Imported by *.test.ts files alone.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import {
  resolvePackagePath,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { HttpOpaClient } from '@internal/plugin-opa-node';
import { BlueprintCatalog } from '../blueprints/BlueprintCatalog';
import { readEnvironmentsConfig } from '../config';
import { EnvironmentService } from '../service/EnvironmentService';
import { Guardrails } from '../service/Guardrails';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { EnvironmentRecord } from '../store/types';
import { allow, newEnvironment } from './storeFixtures';

/**
 * A job context with the config read from `environments` (as the plugin reads it) and Backstage's
 * scheduler and logger mocks, so that a test sees the task a job schedules and can run it.
 */
export function jobContext(environments: JsonObject = {}) {
  const scheduler = mockServices.scheduler.mock();
  const logger = mockServices.logger.mock();
  const config = readEnvironmentsConfig(
    new ConfigReader({
      app: { baseUrl: 'http://localhost:3000' },
      environments,
    }),
  );
  /** The one task the job scheduled (id, scope, frequency, timeout, initialDelay and fn). */
  const task = () => {
    const calls = scheduler.scheduleTask.mock.calls;
    if (calls.length !== 1)
      throw new Error(`the job scheduled ${calls.length} tasks, not 1`);
    return calls[0][0] as {
      id: string;
      fn: (abort: AbortSignal) => Promise<void>;
    } & SchedulerServiceTaskScheduleDefinition;
  };
  /** Runs the scheduled task's function, as the scheduler would. */
  const runTask = () => task().fn(new AbortController().signal);
  return { scheduler, logger, config, task, runTask };
}

/** An environment of payments that went through provisioning to active, expiring at `expiresAt`. */
export async function activeEnvironment(
  store: EnvironmentStore,
  expiresAt: Date,
  name?: string,
): Promise<EnvironmentRecord> {
  const { environment } = await store.admit(
    newEnvironment(name ? { name } : {}),
    allow,
  );
  await store.transition(environment.id, 'provisioning', {
    actor: 'system:test',
  });
  return store.transition(environment.id, 'active', {
    actor: 'system:test',
    patch: { expiresAt },
  });
}

/** The repository's blueprints (templates/environments). */
export const repositoryBlueprints = () =>
  BlueprintCatalog.load(
    resolvePackagePath(
      '@internal/plugin-environments-backend',
      '../../templates/environments',
    ),
  );

/**
 * The environments service over `store`, with guardrails whose OPA never answers (nothing listens
 * on port 9): the reaper and the drift check ask no policy, so they work while OPA is down.
 */
export function serviceWithOpaDown(store: EnvironmentStore) {
  return new EnvironmentService({
    store,
    blueprints: repositoryBlueprints(),
    guardrails: new Guardrails(
      new HttpOpaClient({ url: 'http://127.0.0.1:9', cacheTtlMs: 0 }),
    ),
  });
}

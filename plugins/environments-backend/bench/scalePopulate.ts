/*
 * The scale benchmark's environments (bench/scale.bench.ts), made through the store as the portal
 * makes them: admitted (with the two history rows of the request and the apply run), and moved
 * through the lifecycle by transitions (each with its history row, an optimistic version check and
 * the run it queues), the runs claimed and finished through the run queue. No row is inserted
 * behind the store's back.
 *
 * At size s: s environments (at least 1), owned round-robin by the size's teams (team-1 ...); the
 * newest tenth (at least 1) active, the rest destroyed. Destroyed ones are walked through
 * requested -> queued -> provisioning -> active -> destroying -> destroyed (an apply run and a
 * destroy run, both succeeded) without OpenTofu. Active ones are applied for real by the worker
 * (the workspace blueprint, OpenTofu from tools/), so that the drift check plans real state;
 * without `apply` (no drift check), they are walked to active like the others.
 */
import { DESTROYABLE_STATES } from '@internal/plugin-environments-common';
import { EnvironmentStore } from '../src/store/EnvironmentStore';
import { AdmissionDecision, NewEnvironment } from '../src/store/types';
import { BENCH_USER, ScaleBackend } from './scaleBackend';

/** How many teams own environments at each size (the example organisation times the size). */
const TEAMS: Record<number, number> = { 1: 3, 10: 4, 100: 40, 1000: 300 };

export function teamsAt(scale: number): number {
  return TEAMS[scale] ?? Math.max(3, Math.round(scale * 0.3));
}

export interface Population {
  total: number;
  active: string[];
  destroyed: number;
  teams: number;
  /** Seconds spent making the destroyed ones, and applying the active ones. */
  walkSeconds: number;
  applySeconds: number;
}

const WORKER = 'bench-populate';
const allow = async (): Promise<AdmissionDecision> => ({
  state: 'queued',
  reason: 'allowed by the guardrails',
  decisionId: 'bench',
});

function request(i: number, teams: number): NewEnvironment {
  const team = (i % teams) + 1;
  return {
    name: `ws-${i}`,
    blueprint: 'workspace',
    owner: `group:default/team-${team}`,
    // the bench user asks for some of team-1's; members of the other teams for the rest
    requestedBy: team === 1 ? BENCH_USER : `user:default/member-${team}`,
    size: 'small',
    variables: { service: 'demo-service', log_level: 'info' },
    costPerHour: 0,
    ttlHours: 48,
  };
}

/** Claims the run the environment just queued (the queue holds no other). */
async function claimOwn(store: EnvironmentStore, id: string) {
  const run = await store.runs.claim(WORKER);
  if (!run || run.environmentId !== id)
    throw new Error(`expected the queued run of ${id}, claimed ${run?.id}`);
  return run;
}

/**
 * One environment from its request to active, as the worker would move it after a successful
 * apply (without running OpenTofu); returns its id.
 */
async function walkToActive(store: EnvironmentStore, env: NewEnvironment) {
  const { environment } = await store.admit(env, allow);
  const { id } = environment;
  const system = { actor: `system:${WORKER}` };
  const apply = await claimOwn(store, id);
  await store.transition(id, 'provisioning', {
    ...system,
    reason: `apply run ${apply.id}`,
  });
  await store.transition(id, 'active', {
    ...system,
    reason: 'provisioned',
    patch: {
      expiresAt: new Date(Date.now() + env.ttlHours * 3600_000),
      outputs: { path: `/work/${id}/workspace`, config: env.variables },
      secretOutputs: { api_token: id.replace(/-/g, '') },
    },
  });
  await store.runs.finish(apply.id, WORKER, 'succeeded');
  return id;
}

/** One environment from its request to destroyed, as the worker and its owner would move it. */
async function walkToDestroyed(store: EnvironmentStore, env: NewEnvironment) {
  const id = await walkToActive(store, env);
  await store.transition(id, 'destroying', {
    actor: env.requestedBy,
    reason: 'destroy requested',
    expectFrom: [...DESTROYABLE_STATES],
    enqueue: 'destroy',
  });
  const destroy = await claimOwn(store, id);
  await store.transition(id, 'destroyed', {
    actor: `system:${WORKER}`,
    reason: 'destroyed',
  });
  await store.runs.finish(destroy.id, WORKER, 'succeeded');
}

/** Makes the environments of size `scale` in the backend's (empty) database. */
export async function populate(
  b: ScaleBackend,
  scale: number,
  options: { apply: boolean },
): Promise<Population> {
  const total = Math.max(1, scale);
  const activeCount = Math.max(1, Math.round(total / 10));
  const teams = teamsAt(scale);
  let t = performance.now();
  for (let i = 0; i < total - activeCount; i++)
    await walkToDestroyed(b.store, request(i, teams));
  const walkSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const active: string[] = [];
  for (let i = total - activeCount; i < total; i++) {
    if (options.apply) {
      const { environment } = await b.store.admit(request(i, teams), allow);
      active.push(environment.id);
    } else active.push(await walkToActive(b.store, request(i, teams)));
  }
  await b.worker.kick(); // applies them, two at a time
  const applySeconds = (performance.now() - t) / 1000;
  for (const id of active) {
    const env = await b.store.get(id);
    if (env.state !== 'active') {
      const runs = await b.store.runs.list(id);
      const logs = await b.store.runs.logs(runs[runs.length - 1].id);
      throw new Error(
        `${env.name} is ${env.state}, not active: ${logs
          .slice(-5)
          .map(l => l.message)
          .join(' | ')}`,
      );
    }
  }
  return {
    total,
    active,
    destroyed: total - activeCount,
    teams,
    walkSeconds,
    applySeconds,
  };
}

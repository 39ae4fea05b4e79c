import { LoggerService } from '@backstage/backend-plugin-api';
import { LogLevel } from '@internal/plugin-environments-common';
import { BlueprintCatalog } from '../blueprints/BlueprintCatalog';
import { Redactor } from '../runner/Redactor';
import { TofuRunner } from '../runner/TofuRunner';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { RunRecord } from '../store/types';

export interface RunWorkerOptions {
  /** This replica's name in the run queue. */
  workerId: string;
  /** Variables every module gets from the platform (never secrets: those go through the runner's env bundles). */
  platformVariables?: Record<string, unknown>;
  heartbeatMs?: number;
  /** How many runs this replica works at once when kicked (default 2). */
  concurrency?: number;
  /** Destroy attempts before an environment is quarantined (default 3). */
  maxDestroyAttempts?: number;
  /** Backoff before destroy attempt n is base * 2^(n-2) ms (default 30 s). */
  retryBaseMs?: number;
  logger?: LoggerService;
}

/**
 * Works the run queue: claims one due run at a time, keeps a heartbeat while OpenTofu runs, logs
 * its output, and moves the environment through its lifecycle:
 *   apply ok -> active (with expiry and outputs); apply failed -> destroying (partial resources
 *   are destroyed, the logs kept); destroy ok -> destroyed; destroy failed -> retried with backoff,
 *   then quarantined (never silently destroyed).
 */
export class RunWorker {
  constructor(
    private readonly store: EnvironmentStore,
    private readonly blueprints: BlueprintCatalog,
    private readonly runner: TofuRunner,
    private readonly options: RunWorkerOptions,
  ) {}

  private readonly loops = new Set<Promise<void>>();
  private kicked = false;

  /**
   * Makes sure this replica is working the queue: starts up to `concurrency` loops that claim due
   * runs until none is left. Called when this replica queues a run and on every poll; cheap when
   * the loops already run. Resolves when the queue has no due run left.
   */
  kick(): Promise<void> {
    this.kicked = true;
    while (this.loops.size < (this.options.concurrency ?? 2)) {
      const loop: Promise<void> = this.loop().finally(() =>
        this.loops.delete(loop),
      );
      this.loops.add(loop);
    }
    return Promise.all([...this.loops]).then(() => undefined);
  }

  private async loop() {
    try {
      for (;;) {
        this.kicked = false;
        if (!(await this.runOne()) && !this.kicked) return;
      }
    } catch (e) {
      this.options.logger?.error(
        `the run queue worker stopped on an error, until the next poll: ${e}`,
      );
    }
  }

  /** Runs due runs until none is left; returns how many ran. */
  async drain(): Promise<number> {
    let n = 0;
    while (await this.runOne()) n++;
    return n;
  }

  /** Claims and runs one due run; false when there was none. */
  async runOne(): Promise<boolean> {
    const run = await this.store.runs.claim(this.options.workerId);
    if (!run) return false;
    const beat = setInterval(() => {
      this.store.runs.heartbeat(run.id, this.options.workerId).catch(() => {});
    }, this.options.heartbeatMs ?? 5000);
    try {
      await this.execute(run);
    } finally {
      clearInterval(beat);
    }
    return true;
  }

  private async execute(run: RunRecord) {
    const env = await this.store.get(run.environmentId);
    // Lines arrive faster than they are worth storing one by one: buffer them and write them in
    // order, in batches, at most every 250 ms (the live view polls every 1.5 s).
    let buffer: Array<{ level: LogLevel; message: string }> = [];
    let chain: Promise<void> = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      const batch = buffer;
      buffer = [];
      if (batch.length) {
        chain = chain
          .then(() => this.store.runs.appendLog(run.id, batch))
          .catch(e =>
            this.options.logger?.warn(
              `could not store log lines of run ${run.id}: ${e}`,
            ),
          );
      }
      return chain;
    };
    const log = (level: LogLevel, message: string) => {
      buffer.push({ level, message });
      if (!timer) timer = setTimeout(flush, 250);
      return Promise.resolve();
    };
    try {
      await this.executeWith(run, env, log);
    } finally {
      await flush();
    }
  }

  private async executeWith(
    run: RunRecord,
    env: Awaited<ReturnType<EnvironmentStore['get']>>,
    log: (level: LogLevel, message: string) => Promise<void>,
  ) {
    const worker = this.options.workerId;
    const loaded = this.blueprints.get(env.blueprint);
    if (!loaded) {
      await log(
        'error',
        `blueprint ${env.blueprint} is not loaded; the run cannot start`,
      );
      await this.store.runs.finish(
        run.id,
        worker,
        'failed',
        `blueprint ${env.blueprint} is not loaded`,
      );
      return;
    }
    // Every secret of this environment the runner knows, before OpenTofu starts: the generated
    // ones (created and stored now, so that a run that fails after using them still has them
    // redacted) and the secret outputs of an earlier apply.
    const { runner: needs } = loaded.blueprint.spec;
    const secretVariables = needs.generatedSecrets.length
      ? await this.store.secrets.generated(env.id, needs.generatedSecrets)
      : {};
    const knownSecrets = stringLeaves(await this.store.secrets.outputs(env.id));
    let redactor: Redactor = this.runner.redactor({
      secretVariables,
      knownSecrets,
    });
    const safe = (e: unknown) =>
      redactor.redact(e instanceof Error ? e.message : String(e));
    const tofuRun = {
      environmentId: env.id,
      moduleDir: loaded.moduleDir,
      variables: { ...this.options.platformVariables, ...env.variables },
      secretVariables,
      envBundles: needs.env,
      knownSecrets,
      onLog: (line: { level: LogLevel; message: string }) =>
        log(line.level, redactor.redact(line.message)),
    };
    await log(
      'info',
      `${run.kind} of ${env.name} (${env.blueprint}, ${env.size}), attempt ${run.attempt}, on ${worker}`,
    );

    if (run.kind === 'apply') {
      if (env.state !== 'queued' && env.state !== 'provisioning') {
        await log('warn', `the environment is ${env.state}; nothing to apply`);
        await this.store.runs.finish(
          run.id,
          worker,
          'failed',
          `environment is ${env.state}`,
        );
        return;
      }
      if (env.state === 'queued') {
        await this.store.transition(env.id, 'provisioning', {
          actor: `system:${worker}`,
          reason: `apply run ${run.id}`,
        });
      }
      try {
        const { outputs } = await this.runner.apply(tofuRun);
        const secretNames = new Set(loaded.blueprint.spec.outputs.secret);
        const plain: Record<string, unknown> = {};
        const secret: Record<string, unknown> = {};
        for (const [name, o] of Object.entries(outputs))
          (secretNames.has(name) || o.sensitive ? secret : plain)[name] =
            o.value;
        redactor = redactor.with(stringLeaves(secret));
        await this.store.transition(env.id, 'active', {
          actor: `system:${worker}`,
          reason: 'provisioned',
          patch: {
            expiresAt: new Date(Date.now() + env.ttlHours * 3600_000),
            outputs: plain,
            secretOutputs: secret,
          },
        });
        await this.store.runs.finish(run.id, worker, 'succeeded');
      } catch (e) {
        const message = safe(e);
        await log(
          'error',
          `apply failed: ${message}; destroying what was created`,
        );
        await this.store.runs.finish(run.id, worker, 'failed', message);
        await this.store.transition(env.id, 'destroying', {
          actor: `system:${worker}`,
          reason: `provisioning failed: ${message}`,
          enqueue: 'destroy',
        });
      }
      return;
    }

    if (run.kind === 'destroy') {
      try {
        await this.runner.destroy(tofuRun);
        await this.runner.clean(env.id);
        await this.store.transition(env.id, 'destroyed', {
          actor: `system:${worker}`,
          reason: 'destroyed',
        });
        await this.store.runs.finish(run.id, worker, 'succeeded');
      } catch (e) {
        const message = safe(e);
        await this.store.runs.finish(run.id, worker, 'failed', message);
        const max = this.options.maxDestroyAttempts ?? 3;
        if (run.attempt >= max) {
          await log(
            'error',
            `destroy failed ${run.attempt} times; quarantined: a person must act`,
          );
          await this.store.transition(env.id, 'quarantined', {
            actor: `system:${worker}`,
            reason: `destroy failed ${run.attempt} times (last: ${message}); resources may remain`,
          });
        } else {
          const delay =
            (this.options.retryBaseMs ?? 30_000) * 2 ** (run.attempt - 1);
          await log(
            'warn',
            `destroy failed; retrying in ${Math.round(
              delay / 1000,
            )} s (attempt ${run.attempt + 1} of ${max})`,
          );
          await this.store.transition(env.id, 'destroying', {
            actor: `system:${worker}`,
            reason: `destroy attempt ${run.attempt} failed: ${message}`,
          });
          await this.store.runs.enqueue(env.id, 'destroy', {
            attempt: run.attempt + 1,
            notBefore: new Date(Date.now() + delay),
          });
        }
      }
      return;
    }

    // refresh: the drift check
    try {
      const drift = await this.runner.detectDrift(tofuRun);
      await this.store.setDrift(env.id, drift);
      await this.store.runs.finish(run.id, worker, 'succeeded');
    } catch (e) {
      await this.store.runs.finish(run.id, worker, 'failed', safe(e));
    }
  }
}

/** The strings in an output value (a string, or strings nested in lists and objects). */
function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach(v => stringLeaves(v, out));
  else if (value && typeof value === 'object')
    Object.values(value).forEach(v => stringLeaves(v, out));
  return out;
}

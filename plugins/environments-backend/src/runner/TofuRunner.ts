import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { LogLine, parseJsonLogLine } from './parseJsonLog';
import { connectionStringSecrets, Redactor } from './Redactor';
import { bundleEnv, PlatformEnv, tofuEnv } from './runnerEnv';
import { STATE_KEY_VARIABLE, tofuEncryptionEnv } from './stateEncryption';
import { TofuCommand, TOFU_ARGV } from './tofuCommands';
import { TofuState } from './tofuState';
import {
  prepareWorkspace,
  safeId,
  StateBackend,
  stateLocation,
} from './workspace';

export { safeId } from './workspace';
export type { StateBackend } from './workspace';

export interface RunOptions {
  /** The environment's id; its working folder and state are named after it. */
  environmentId: string;
  /** The blueprint's module folder; copied into the environment's working folder. */
  moduleDir: string;
  /** The module's input: the blueprint's variables, the size's, and the runner's own. */
  variables: Record<string, unknown>;
  /**
   * Sensitive variables, passed as TF_VAR_<name> in OpenTofu's environment (never in argv or the
   * tfvars file) and redacted from every line: the blueprint's generated secrets.
   */
  secretVariables?: Record<string, string>;
  /** The bundles of environment variables the blueprint declares (spec.runner.env). */
  envBundles?: readonly string[];
  /** More values to redact from the log and errors (for example the stored secret outputs). */
  knownSecrets?: Iterable<unknown>;
  /** Receives each line after redaction. */
  onLog: (line: LogLine) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface ApplyResult {
  outputs: Record<string, { value: unknown; sensitive: boolean }>;
}

/** A tofu command that failed, with the last error lines it printed (already redacted). */
export class TofuError extends Error {
  readonly name = 'TofuError';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly errors: string[],
  ) {
    super(
      `tofu ${command} failed (exit ${exitCode})${
        errors.length ? `: ${errors.slice(-3).join('; ')}` : ''
      }`,
    );
  }
}

/**
 * Runs OpenTofu for one environment: `init`, then `apply`, `destroy` or a refresh-only `plan`,
 * each with -input=false and -json, never through a shell (arguments are passed as an array). Each
 * environment has its own working folder under `workRoot`; its state is in the pg backend
 * (schema env_<id>) or in a local folder. Providers come from the filesystem mirror named by
 * TF_CLI_CONFIG_FILE. The JSON stream becomes log lines as it arrives.
 */
export class TofuRunner {
  private readonly state: TofuState;
  private readonly secrets: Redactor;
  /** TF_ENCRYPTION and the state key, when state encryption is on. */
  private readonly encryption?: Record<string, string>;

  constructor(
    private readonly options: {
      binary: string;
      workRoot: string;
      state: StateBackend;
      /** More runner settings for OpenTofu's environment (TF_LOG and the like); never secrets of the backend's. */
      env?: Record<string, string>;
      /** What blueprints' env bundles are made of (environments.postgres.adminUrl). */
      platformEnv?: PlatformEnv;
      /** Turns on OpenTofu's state encryption (TF_ENCRYPTION) with a key derived from this passphrase. */
      stateEncryptionPassphrase?: string;
      /** Where the allow-listed variables (PATH, HOME, TF_CLI_CONFIG_FILE ...) come from; process.env by default. */
      inheritEnv?: NodeJS.ProcessEnv;
    },
  ) {
    if (options.stateEncryptionPassphrase)
      this.encryption = tofuEncryptionEnv(options.stateEncryptionPassphrase);
    this.state = new TofuState(
      options.state,
      this.encryption?.[STATE_KEY_VARIABLE],
    );
    this.secrets = new Redactor([
      ...connectionStringSecrets(options.platformEnv?.postgresAdminUrl),
      ...connectionStringSecrets(
        options.state.type === 'pg'
          ? options.state.connectionString
          : undefined,
      ),
      options.stateEncryptionPassphrase,
      this.encryption?.[STATE_KEY_VARIABLE],
    ]);
  }

  /**
   * Removes every secret the runner knows for this run from a text: the admin URL and its
   * password, the state backend's connection string, the state passphrase, the run's secret
   * variables and its known secrets. For whatever the caller stores about the run besides its log.
   */
  redactor(
    run: Pick<RunOptions, 'secretVariables' | 'knownSecrets'>,
  ): Redactor {
    return this.secrets.with([
      ...Object.values(run.secretVariables ?? {}),
      ...(run.knownSecrets ?? []),
    ]);
  }

  /**
   * OpenTofu's environment for a run: the allow-list (PATH, HOME, TF_CLI_CONFIG_FILE ...), the
   * bundles the blueprint declares, the state backend's PG_CONN_STR, TF_ENCRYPTION and the state
   * key, and the run's
   * secret variables as TF_VAR_<name>. Nothing else of the backend's environment.
   */
  environment(
    run: Pick<RunOptions, 'secretVariables' | 'envBundles'>,
  ): NodeJS.ProcessEnv {
    const { options } = this;
    const runnerVars: Record<string, string | undefined> = {
      ...options.env,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
      PG_CONN_STR:
        options.state.type === 'pg'
          ? options.state.connectionString
          : undefined,
      ...this.encryption,
    };
    for (const [name, value] of Object.entries(run.secretVariables ?? {}))
      runnerVars[`TF_VAR_${name}`] = value;
    return tofuEnv({
      from: options.inheritEnv ?? process.env,
      runner: runnerVars,
      blueprint: bundleEnv(run.envBundles ?? [], options.platformEnv ?? {}),
    });
  }

  /** Closes the connection the runner keeps to read outputs from the pg backend. */
  async close(): Promise<void> {
    await this.state.close();
  }

  workdir(environmentId: string): string {
    return path.join(this.options.workRoot, safeId(environmentId));
  }

  async apply(run: RunOptions): Promise<ApplyResult> {
    const dir = await this.prepare(run);
    await this.tofu(dir, 'apply', run);
    const fromState = await this.state.outputs(
      stateLocation(this.options.state, run.environmentId),
    );
    return { outputs: fromState ?? (await this.outputs(dir, run)) };
  }

  async destroy(run: RunOptions): Promise<void> {
    const dir = await this.prepare(run);
    await this.tofu(dir, 'destroy', run);
  }

  /**
   * A refresh-only plan: true when the real resources no longer match the state, or when one of
   * the module's `check` blocks fails (how modules built on terraform_data report drift).
   */
  async detectDrift(run: RunOptions): Promise<boolean> {
    const dir = await this.prepare(run);
    let checkFailed = false;
    const code = await this.tofu(
      dir,
      'plan',
      {
        ...run,
        onLog: line => {
          if (/check block assertion failed/i.test(line.message))
            checkFailed = true;
          return run.onLog(line);
        },
      },
      [0, 2],
    );
    return code === 2 || checkFailed;
  }

  /** Removes the environment's working folder and its (empty) state, after a successful destroy. */
  async clean(environmentId: string): Promise<void> {
    await fs.promises.rm(this.workdir(environmentId), {
      recursive: true,
      force: true,
    });
    await this.state.remove(stateLocation(this.options.state, environmentId));
  }

  /** The environment's working folder for a run, with `init` run when it needs it. */
  private async prepare(run: RunOptions): Promise<string> {
    const workspace = await prepareWorkspace(
      this.workdir(run.environmentId),
      run,
      this.options.state,
    );
    const dir = workspace.dir;
    if (workspace.initialised) return dir;
    // The pg backend's first init in a database creates a sequence shared by every state with
    // CREATE ... IF NOT EXISTS, which two concurrent inits can both attempt: the loser fails with a
    // unique violation (23505) or "already exists" (42P07), and succeeds when it tries again.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.tofu(dir, 'init', run);
        await workspace.markInitialised();
        return dir;
      } catch (e) {
        const race =
          e instanceof TofuError &&
          e.errors.some(m => /\bpq: .*\((23505|42P07)\)/.test(m));
        if (!race || attempt >= 3) throw e;
        await run.onLog({
          level: 'warn',
          message: `tofu init raced another replica's first init; trying again`,
        });
      }
    }
  }

  private async outputs(dir: string, run: RunOptions) {
    let json = '';
    await this.tofu(dir, 'output', run, [0], chunk => {
      json += chunk;
    });
    return JSON.parse(json || '{}') as ApplyResult['outputs'];
  }

  /** Runs one tofu command; resolves with its exit code when it is one of `ok`. */
  private tofu(
    dir: string,
    command: TofuCommand,
    run: RunOptions,
    ok: number[] = [0],
    rawStdout?: (chunk: string) => void,
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      let env: NodeJS.ProcessEnv;
      try {
        env = this.environment(run);
      } catch (e) {
        reject(e);
        return;
      }
      const redactor = this.redactor(run);
      const child = spawn(this.options.binary, [...TOFU_ARGV[command]], {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        signal: run.signal,
      });
      const errors: string[] = [];
      const pending: Array<Promise<void> | void> = [];
      const onLine = (raw: string) => {
        const parsed = parseJsonLogLine(raw);
        if (!parsed) return;
        const line = { ...parsed, message: redactor.redact(parsed.message) };
        if (line.level === 'error') errors.push(line.message);
        pending.push(run.onLog(line));
      };
      if (rawStdout) child.stdout!.on('data', d => rawStdout(String(d)));
      else
        readline.createInterface({ input: child.stdout! }).on('line', onLine);
      readline.createInterface({ input: child.stderr! }).on('line', onLine);
      child.on('error', reject);
      child.on('close', async code => {
        await Promise.allSettled(pending); // a log sink's failure must not hang the run
        if (code !== null && ok.includes(code)) resolve(code);
        else reject(new TofuError(command, code, errors));
      });
    });
  }
}

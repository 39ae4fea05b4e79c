import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import { freePort } from '@internal/plugin-platform-node';

export interface LocalOpaServerOptions {
  /** The `opa` executable. */
  binary: string;
  /** Folder of Rego policies and data to load and watch. */
  policyDir: string;
  /** More folders or files to load beside the policy folder. */
  extraPaths?: string[];
  /** Port on 127.0.0.1; a free one when unset. */
  port?: number;
  /** Where OPA's decision log lines go. */
  onDecisionLog?: (line: string) => void;
  /** Where OPA's own log lines go (errors, policy reloads). */
  onLog?: (line: string) => void;
  /** Milliseconds to wait for OPA's health endpoint (default 20000). */
  startTimeoutMs?: number;
}

/**
 * `opa run --server` as a child process of the backend (local mode), listening on loopback only,
 * with the policy folder watched so that an edit takes effect without a restart, and with decision
 * logging on so that every answer carries a decision id.
 */
export class LocalOpaServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly port: number,
  ) {}

  static async start(options: LocalOpaServerOptions): Promise<LocalOpaServer> {
    if (!fs.existsSync(options.policyDir)) {
      throw new Error(
        `opa.local.policyDir: ${options.policyDir} does not exist`,
      );
    }
    const port = options.port ?? (await freePort());
    const args = [
      'run',
      '--server',
      `--addr=127.0.0.1:${port}`,
      '--watch',
      '--log-format=json',
      '--log-level=error',
      '--set=decision_logs.console=true',
      options.policyDir,
      ...(options.extraPaths ?? []),
    ];
    const child = spawn(options.binary, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OPA_TELEMETRY: 'false' },
    });
    const onLine = (line: string) => {
      if (
        line.includes('"decision_id"') &&
        line.includes('"msg":"Decision Log"')
      ) {
        options.onDecisionLog?.(line);
      } else {
        options.onLog?.(line);
      }
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);

    const server = new LocalOpaServer(child, `http://127.0.0.1:${port}`, port);
    let exited: string | undefined;
    child.on('exit', (code, signal) => {
      exited = `opa exited (${signal ?? code})`;
    });
    const deadline = Date.now() + (options.startTimeoutMs ?? 20000);
    while (Date.now() < deadline) {
      if (exited)
        throw new Error(
          `${exited} while starting: ${options.binary} ${args.join(' ')}`,
        );
      if (await server.healthy()) return server;
      await new Promise(r => setTimeout(r, 50));
    }
    server.stop();
    throw new Error(
      `opa did not become healthy on ${server.url} within the start timeout`,
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Freezes OPA (SIGSTOP) and returns once the kernel reports it stopped: it then accepts
   * connections but answers nothing, like a hung OPA. For tests of timeouts.
   */
  async pause(): Promise<void> {
    const pid = this.child.pid!;
    process.kill(pid, 'SIGSTOP');
    const deadline = Date.now() + 5000;
    // /proc/<pid>/stat: "pid (comm) state ..."; T is stopped.
    while (!/\) T /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))) {
      if (Date.now() > deadline)
        throw new Error(`opa (pid ${pid}) did not stop`);
      await new Promise(r => setTimeout(r, 5));
    }
  }

  /** Lets a paused OPA run again. */
  resume(): void {
    process.kill(this.child.pid!, 'SIGCONT');
  }

  async healthy(): Promise<boolean> {
    try {
      const res = await fetch(`${this.url}/health`, {
        signal: AbortSignal.timeout(500),
      });
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Stops OPA and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise(r => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

/*
 * Starts replica.ts as a separate Node process (its own process group, so that a test can kill it
 * with the OpenTofu processes it started, as a crashed container would be), and waits until it
 * listens.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ChildProcess, spawn } from 'node:child_process';

export class ReplicaProcess {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly output: string[],
  ) {}

  static async start(
    name: string,
    config: object,
    options: { timeoutMs?: number } = {},
  ): Promise<ReplicaProcess> {
    const output: string[] = [];
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        resolvePackagePath(
          '@internal/plugin-environments-backend',
          'src/__testUtils__/replica.ts',
        ),
      ],
      {
        cwd: resolvePackagePath('@internal/plugin-environments-backend'),
        env: {
          ...process.env,
          PORTAL_REPLICA_CONFIG: JSON.stringify(config),
          NODE_ENV: 'test',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `replica ${name} did not start in time; its output:\n${output.join(
                '',
              )}`,
            ),
          ),
        options.timeoutMs ?? 120_000,
      );
      const onData = (d: Buffer) => {
        const text = String(d);
        output.push(text);
        const m = /REPLICA_READY (\d+)/.exec(text);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', code => {
        clearTimeout(timer);
        reject(
          new Error(
            `replica ${name} exited with ${code} before it listened; its output:\n${output.join(
              '',
            )}`,
          ),
        );
      });
    });
    return new ReplicaProcess(name, child, `http://127.0.0.1:${port}`, output);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** What the replica printed, for a failing test's message. */
  log(): string {
    return this.output.join('');
  }

  /** SIGKILL the replica and everything it started (its process group): no shutdown hooks run. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    process.kill(-this.pid, 'SIGKILL');
    await exited;
  }

  /** Stops it gracefully, then kills what is left. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    process.kill(-this.pid, 'SIGTERM');
    const timer = setTimeout(() => this.kill(), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

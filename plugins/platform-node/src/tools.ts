import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { execFile } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** How the portal finds one external program. */
export interface ToolSpec {
  /** The config key that may hold an explicit path. */
  configKey: string;
  /** The command name looked up on PATH when the config key is unset. */
  command: string;
  /** Arguments that make the program print its version. */
  versionArgs: string[];
  /** Picks the version out of what `versionArgs` printed. */
  versionPattern: RegExp;
}

/** The external programs the portal runs. */
export const TOOLS = {
  opa: {
    configKey: 'opa.binary',
    command: 'opa',
    versionArgs: ['version'],
    versionPattern: /^Version:\s*(\S+)/m,
  },
  tofu: {
    configKey: 'iac.binary',
    command: 'tofu',
    versionArgs: ['version'],
    versionPattern: /^OpenTofu v(\S+)/m,
  },
} as const satisfies Record<string, ToolSpec>;

export type ToolName = keyof typeof TOOLS;

export interface ResolvedTool {
  name: ToolName;
  /** Absolute path of the executable. */
  path: string;
  /** Where the path came from. */
  source: 'config' | 'PATH';
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds an external tool: the path in its config key if set, otherwise the command on PATH.
 * Throws a NotFoundError that says where it looked.
 */
export async function findTool(
  config: Config,
  name: ToolName,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedTool> {
  const spec = TOOLS[name];
  const configured = config.getOptionalString(spec.configKey);
  if (configured) {
    const file = path.resolve(configured);
    if (await isExecutable(file)) {
      return { name, path: file, source: 'config' };
    }
    throw new NotFoundError(
      `${spec.configKey} is set to '${configured}', but ${file} is not an executable file`,
    );
  }
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const file = path.resolve(dir, spec.command);
    if (await isExecutable(file)) {
      return { name, path: file, source: 'PATH' };
    }
  }
  throw new NotFoundError(
    `'${spec.command}' was not found: ${spec.configKey} is not set and no '${spec.command}' is on PATH. ` +
      `Run tools/build.sh (scripts/start does) or set ${spec.configKey}.`,
  );
}

/** Runs the tool's version command (no shell) and returns the version it reports. */
export async function toolVersion(tool: ResolvedTool): Promise<string> {
  const spec: ToolSpec = TOOLS[tool.name];
  const { stdout } = await execFileAsync(tool.path, spec.versionArgs, {
    timeout: 10_000,
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
  const match = spec.versionPattern.exec(stdout);
  if (!match) {
    throw new Error(
      `${tool.path} ${spec.versionArgs.join(
        ' ',
      )} printed no version: ${stdout.slice(0, 200)}`,
    );
  }
  return match[1];
}

import { LoggerService } from '@backstage/backend-plugin-api';
import type { BlueprintsSource } from '../config';
import {
  Blueprint,
  blueprintSchema,
} from '@internal/plugin-environments-common';
import { readYamlFile } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import path from 'node:path';

/** A blueprint that loaded, with where its module is. */
export interface LoadedBlueprint {
  blueprint: Blueprint;
  /** The blueprint.yaml it came from. */
  file: string;
  /** The OpenTofu module's folder (absolute). */
  moduleDir: string;
}

/** A blueprint.yaml that did not load, and why. */
export interface BlueprintError {
  file: string;
  message: string;
}

/**
 * Reads one blueprint.yaml: YAML, the schema (every problem named by its field), the folder name
 * matching metadata.name, and a module folder with .tf files.
 */
export function readBlueprint(file: string): LoadedBlueprint {
  const blueprint = readYamlFile(file, blueprintSchema);
  const folder = path.basename(path.dirname(file));
  if (folder !== blueprint.metadata.name) {
    throw new Error(
      `metadata.name: is '${blueprint.metadata.name}', but the folder is '${folder}'; they must match`,
    );
  }
  const moduleDir = path.resolve(path.dirname(file), blueprint.spec.module);
  if (
    !fs.existsSync(moduleDir) ||
    !fs.readdirSync(moduleDir).some(f => f.endsWith('.tf'))
  ) {
    throw new Error(
      `spec.module: ${blueprint.spec.module} is not a folder with .tf files`,
    );
  }
  return { blueprint, file, moduleDir };
}

/**
 * The environment blueprints under a folder (`<name>/blueprint.yaml`). From a local folder
 * (`environments.blueprintsDir`): loaded at start and again whenever a file under it changes. From
 * a URL (`environments.blueprints.url`): BlueprintsFromUrlJob extracts each new tree into a new
 * folder and switches the catalog to it. A blueprint that does not load is reported (logged, and
 * listed by errors()) and left out; the others keep working.
 */
export class BlueprintCatalog {
  private blueprints = new Map<string, LoadedBlueprint>();
  private problems: BlueprintError[] = [];
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** What files are named after in problems and logs: the folder, or the URL it was read from. */
  private label: string | undefined;

  constructor(
    private dir: string | undefined,
    private readonly logger?: LoggerService,
  ) {}

  static load(dir: string, logger?: LoggerService): BlueprintCatalog {
    const catalog = new BlueprintCatalog(dir, logger);
    catalog.reload();
    return catalog;
  }

  /**
   * The catalog `source` says: a local folder, loaded and watched (stop() ends the watch); or, for
   * a URL, an empty one that BlueprintsFromUrlJob fills.
   */
  static open(source: BlueprintsSource, logger?: LoggerService) {
    if (source.type === 'url') return new BlueprintCatalog(undefined, logger);
    const catalog = BlueprintCatalog.load(source.dir, logger);
    catalog.watch();
    return catalog;
  }

  /**
   * Loads the blueprints under `dir` in place of the current ones, all at once: a run that already
   * has a blueprint keeps using its folder, later ones get the new. `label` (the URL the tree was
   * read from) replaces `dir` in the files problems name.
   */
  switchTo(dir: string, label?: string): void {
    this.dir = dir;
    this.label = label;
    this.reload();
  }

  reload(): void {
    const dir = this.dir;
    const blueprints = new Map<string, LoadedBlueprint>();
    const problems: BlueprintError[] = [];
    const entries =
      dir && fs.existsSync(dir)
        ? fs.readdirSync(dir, { withFileTypes: true })
        : [];
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const file = path.join(dir!, entry.name, 'blueprint.yaml');
      if (!fs.existsSync(file)) continue;
      try {
        const loaded = readBlueprint(file);
        blueprints.set(loaded.blueprint.metadata.name, loaded);
      } catch (e) {
        const named = this.label
          ? `${this.label}/${entry.name}/blueprint.yaml`
          : file;
        problems.push({ file: named, message: (e as Error).message });
        this.logger?.error(
          `blueprint ${named} was not loaded: ${(e as Error).message}`,
        );
      }
    }
    this.blueprints = blueprints;
    this.problems = problems;
    const names = [...blueprints.keys()].join(', ') || 'none';
    const notLoaded = problems.length ? `; ${problems.length} not loaded` : '';
    this.logger?.info(
      `loaded ${blueprints.size} blueprint(s) from ${
        this.label ?? dir
      }: ${names}${notLoaded}`,
    );
  }

  /** Reloads (debounced) when anything under the folder changes, until stop(). */
  watch(debounceMs = 200): void {
    if (!this.dir) return;
    this.watcher = fs.watch(this.dir, { recursive: true }, () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), debounceMs);
    });
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  list(): LoadedBlueprint[] {
    return [...this.blueprints.values()];
  }

  get(name: string): LoadedBlueprint | undefined {
    return this.blueprints.get(name);
  }

  errors(): BlueprintError[] {
    return [...this.problems];
  }
}

import { LoggerService } from '@backstage/backend-plugin-api';
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
 * The environment blueprints under a folder (`templates/environments/<name>/blueprint.yaml`),
 * loaded at start and again whenever a file under the folder changes. A blueprint that does not
 * load is reported (logged, and listed by errors()) and left out; the others keep working.
 */
export class BlueprintCatalog {
  private blueprints = new Map<string, LoadedBlueprint>();
  private problems: BlueprintError[] = [];
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly logger?: LoggerService,
  ) {}

  static load(dir: string, logger?: LoggerService): BlueprintCatalog {
    const catalog = new BlueprintCatalog(dir, logger);
    catalog.reload();
    return catalog;
  }

  reload(): void {
    const blueprints = new Map<string, LoadedBlueprint>();
    const problems: BlueprintError[] = [];
    const entries = fs.existsSync(this.dir)
      ? fs.readdirSync(this.dir, { withFileTypes: true })
      : [];
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const file = path.join(this.dir, entry.name, 'blueprint.yaml');
      if (!fs.existsSync(file)) continue;
      try {
        const loaded = readBlueprint(file);
        blueprints.set(loaded.blueprint.metadata.name, loaded);
      } catch (e) {
        problems.push({ file, message: (e as Error).message });
        this.logger?.error(
          `blueprint ${file} was not loaded: ${(e as Error).message}`,
        );
      }
    }
    this.blueprints = blueprints;
    this.problems = problems;
    const names = [...blueprints.keys()].join(', ') || 'none';
    const notLoaded = problems.length ? `; ${problems.length} not loaded` : '';
    this.logger?.info(
      `loaded ${blueprints.size} blueprint(s) from ${this.dir}: ${names}${notLoaded}`,
    );
  }

  /** Reloads (debounced) when anything under the folder changes, until stop(). */
  watch(debounceMs = 200): void {
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

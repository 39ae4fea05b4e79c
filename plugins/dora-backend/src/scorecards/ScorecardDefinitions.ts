import { LifecycleService, LoggerService } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  Exemption,
  exemptionsSchema,
  Scorecard,
  scorecardSchema,
} from './definitions';

export interface DefinitionError {
  /** The file's path (local folder) or URL (folder in git); the folder's URL when it could not be read. */
  file: string;
  message: string;
}

/** One file of the scorecards folder: its name in the folder, where it is, and its text (or why it could not be read). */
export interface DefinitionFile {
  name: string;
  file: string;
  text: string | Error;
}

const EXEMPTIONS_FILE = 'exemptions.yaml';

/** A YAML file of the folder (not in a subfolder): the files that are read. */
export const isDefinitionFile = (name: string) =>
  !name.includes('/') && /\.ya?ml$/.test(name);

/**
 * A definition's text against its schema; the error names every problem as `field: rule`, or says
 * it is not YAML (the form of platform-node's readYamlFile, for text read from git).
 */
function parseDefinition<T>(text: string, schema: z.ZodType<T>): T {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new Error(`not valid YAML: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(doc);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues
        .map(i => `${i.path.join('.') || '(document)'}: ${i.message}`)
        .join('; '),
    );
  }
  return parsed.data;
}

/**
 * The scorecards (`*.yaml`) and their exemptions (`exemptions.yaml`) of a folder: a local one
 * (`load`: read at start and again when a file changes) or one in git (`empty`, then `apply` with
 * each tree ScorecardTreeReader reads). A file that does not load is reported and left out; the
 * others keep working.
 */
export class ScorecardDefinitions {
  private scorecards: Scorecard[] = [];
  private exemptionList: Exemption[] = [];
  private problems: DefinitionError[] = [];
  private readProblem?: DefinitionError;
  private applied = false;
  private watcher?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly dir: string | undefined,
    private readonly logger?: LoggerService,
  ) {}

  /** The definitions of a local folder, read now. */
  static load(dir: string, logger?: LoggerService): ScorecardDefinitions {
    const defs = new ScorecardDefinitions(dir, logger);
    defs.reload();
    return defs;
  }

  /** No definitions until the first `apply` (a folder in git, read by its job). */
  static empty(logger?: LoggerService): ScorecardDefinitions {
    return new ScorecardDefinitions(undefined, logger);
  }

  /**
   * From dora.scorecards: a local folder is read now and watched until shutdown; a folder in git
   * starts empty (its job reads it).
   */
  static fromConfig(
    source: { dir?: string },
    deps: { logger: LoggerService; lifecycle: LifecycleService },
  ): ScorecardDefinitions {
    if (!source.dir) return ScorecardDefinitions.empty(deps.logger);
    const defs = ScorecardDefinitions.load(source.dir, deps.logger);
    defs.watch();
    deps.lifecycle.addShutdownHook(() => defs.stop());
    return defs;
  }

  /** Reads the local folder again (a folder in git is read by ScorecardTreeReader). */
  reload() {
    if (!this.dir) return;
    const dir = this.dir;
    const names = fs.existsSync(dir)
      ? fs.readdirSync(dir).filter(isDefinitionFile).sort()
      : [];
    this.apply(
      names.map(name => {
        const file = path.join(dir, name);
        try {
          return { name, file, text: fs.readFileSync(file, 'utf8') };
        } catch (e) {
          return { name, file, text: e as Error };
        }
      }),
    );
  }

  /**
   * Replaces the definitions with those of `files` (a whole folder). A file that does not load is
   * logged and listed by errors(); the others are taken.
   */
  apply(files: DefinitionFile[]) {
    const scorecards: Scorecard[] = [];
    const problems: DefinitionError[] = [];
    let exemptions: Exemption[] = [];
    // by name, as a folder listing sorts (so a duplicate name is reported on the later file)
    const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const { name, file, text } of sorted) {
      try {
        if (text instanceof Error) throw text;
        if (name === EXEMPTIONS_FILE) {
          exemptions = parseDefinition(text, exemptionsSchema).exemptions;
        } else {
          const card = parseDefinition(text, scorecardSchema);
          if (scorecards.some(s => s.metadata.name === card.metadata.name)) {
            throw new Error(
              `metadata.name: '${card.metadata.name}' is already defined by another file`,
            );
          }
          scorecards.push(card);
        }
      } catch (e) {
        problems.push({ file, message: (e as Error).message });
        this.logger?.error(
          `scorecard definition ${file} was not loaded: ${
            (e as Error).message
          }`,
        );
      }
    }
    this.scorecards = scorecards;
    this.exemptionList = exemptions;
    this.problems = problems;
    this.readProblem = undefined;
    this.applied = true;
  }

  /** The folder in git could not be read (or, with undefined, was read again): listed by errors(). */
  readFailed(problem: DefinitionError | undefined) {
    this.readProblem = problem;
  }

  /** Whether definitions were read: always for a local folder; once a tree was read from git. */
  loaded(): boolean {
    return this.dir !== undefined || this.applied;
  }

  watch() {
    if (!this.dir || !fs.existsSync(this.dir)) return;
    this.watcher = fs.watch(this.dir, () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), 200);
    });
  }

  stop() {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  list(): Scorecard[] {
    return this.scorecards;
  }

  exemptions(): Exemption[] {
    return this.exemptionList;
  }

  errors(): DefinitionError[] {
    return this.readProblem
      ? [...this.problems, this.readProblem]
      : this.problems;
  }
}

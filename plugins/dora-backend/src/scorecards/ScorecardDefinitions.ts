import { LoggerService } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { Exemption, exemptionsSchema, Scorecard, scorecardSchema } from './definitions';

export interface DefinitionError {
  file: string;
  message: string;
}

const EXEMPTIONS_FILE = 'exemptions.yaml';

function readYaml<T>(file: string, schema: z.ZodType<T>): T {
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`not valid YAML: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(doc);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map(i => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/**
 * The scorecards in git (`scorecards/*.yaml`) and their exemptions (`scorecards/exemptions.yaml`),
 * loaded at start and again when a file changes. A file that does not load is reported and left
 * out; the others keep working.
 */
export class ScorecardDefinitions {
  private scorecards: Scorecard[] = [];
  private exemptionList: Exemption[] = [];
  private problems: DefinitionError[] = [];
  private watcher?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly dir: string,
    private readonly logger?: LoggerService,
  ) {}

  static load(dir: string, logger?: LoggerService): ScorecardDefinitions {
    const defs = new ScorecardDefinitions(dir, logger);
    defs.reload();
    return defs;
  }

  reload() {
    const scorecards: Scorecard[] = [];
    const problems: DefinitionError[] = [];
    let exemptions: Exemption[] = [];
    const files = fs.existsSync(this.dir) ? fs.readdirSync(this.dir).filter(f => /\.ya?ml$/.test(f)).sort() : [];
    for (const name of files) {
      const file = path.join(this.dir, name);
      try {
        if (name === EXEMPTIONS_FILE) {
          exemptions = readYaml(file, exemptionsSchema).exemptions;
        } else {
          const card = readYaml(file, scorecardSchema);
          if (scorecards.some(s => s.metadata.name === card.metadata.name)) {
            throw new Error(`metadata.name: '${card.metadata.name}' is already defined by another file`);
          }
          scorecards.push(card);
        }
      } catch (e) {
        problems.push({ file, message: (e as Error).message });
        this.logger?.error(`scorecard definition ${file} was not loaded: ${(e as Error).message}`);
      }
    }
    this.scorecards = scorecards;
    this.exemptionList = exemptions;
    this.problems = problems;
  }

  watch() {
    if (!fs.existsSync(this.dir)) return;
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
    return this.problems;
  }
}

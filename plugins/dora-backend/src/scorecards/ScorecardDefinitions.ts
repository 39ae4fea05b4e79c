import { LoggerService } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { readYamlFile } from '@internal/plugin-platform-node';
import {
  Exemption,
  exemptionsSchema,
  Scorecard,
  scorecardSchema,
} from './definitions';

export interface DefinitionError {
  file: string;
  message: string;
}

const EXEMPTIONS_FILE = 'exemptions.yaml';

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
    const files = fs.existsSync(this.dir)
      ? fs
          .readdirSync(this.dir)
          .filter(f => /\.ya?ml$/.test(f))
          .sort()
      : [];
    for (const name of files) {
      const file = path.join(this.dir, name);
      try {
        if (name === EXEMPTIONS_FILE) {
          exemptions = readYamlFile(file, exemptionsSchema).exemptions;
        } else {
          const card = readYamlFile(file, scorecardSchema);
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

import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { BlueprintCatalog } from '../blueprints/BlueprintCatalog';
import { BlueprintTrees } from '../blueprints/BlueprintTrees';
import { JobContext } from './JobContext';

/** How long the backend's start waits for the first read (which goes on if it takes longer). */
export const FIRST_READ_WAIT_MS = 30_000;

/** What a read did: switched to a new tree, skipped an unchanged one, or kept the last good one. */
export type BlueprintsReadResult = 'updated' | 'unchanged' | 'failed';

/** An error's message, with its cause's (fetch's "fetch failed" says why only there). */
function describe(e: unknown): string {
  if (!isError(e)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  return isError(cause) ? `${e.message} (${cause.message})` : e.message;
}

/**
 * Blueprints from git (`environments.blueprints.url`): on every replica (scope local: each keeps
 * its own copy), every `environments.blueprints.frequency`, reads the tree at the URL with the
 * UrlReader, which skips it while its etag (for a forge, the commit) is unchanged; extracts a new
 * tree into a folder of its own (BlueprintTrees) and switches the catalog to it. Blueprints that do
 * not load are the catalog's problems, as from a local folder. A read that fails (the forge down,
 * a tree with no blueprint) keeps the last good blueprints and logs a warning naming the URL. At
 * start it restores the last good tree from disk and waits (up to FIRST_READ_WAIT_MS) for a first
 * read, so that the run worker, started after it, finds the blueprints.
 */
export class BlueprintsFromUrlJob {
  static readonly id = 'environments-blueprints-from-url';

  static async start(
    { scheduler, logger, config }: JobContext,
    deps: { blueprints: BlueprintCatalog; urlReader: UrlReaderService },
  ): Promise<BlueprintsFromUrlJob | undefined> {
    const source = config.blueprints;
    if (source.type !== 'url') return undefined;
    const job = new BlueprintsFromUrlJob({
      url: source.url,
      reader: deps.urlReader,
      catalog: deps.blueprints,
      trees: new BlueprintTrees(source.extractDir),
      logger,
    });
    await job.restore();
    if ((await job.runWithin(FIRST_READ_WAIT_MS)) === 'pending')
      logger.warn(
        `blueprints from ${source.url}: the first read takes longer than ${
          FIRST_READ_WAIT_MS / 1000
        }s; starting without waiting for it`,
      );
    await scheduler.scheduleTask({
      id: BlueprintsFromUrlJob.id,
      scope: 'local',
      frequency: source.frequency,
      initialDelay: source.frequency,
      timeout: { minutes: 5 },
      fn: async signal => {
        await job.run(signal);
      },
    });
    return job;
  }

  /** The etag of the tree the catalog has (undefined before the first). */
  private etag: string | undefined;
  private running: Promise<BlueprintsReadResult> | undefined;

  constructor(
    private readonly options: {
      url: string;
      reader: UrlReaderService;
      catalog: BlueprintCatalog;
      trees: BlueprintTrees;
      logger: LoggerService;
    },
  ) {}

  /** Switches the catalog to the last good tree on disk, if there is one read from the URL. */
  async restore(): Promise<boolean> {
    const { url, trees, catalog, logger } = this.options;
    const tree = await trees.restore(url);
    if (!tree) return false;
    catalog.switchTo(tree.dir, url);
    this.etag = tree.etag;
    logger.info(
      `blueprints from ${url}: restored the tree last read (${tree.etag}) from ${tree.dir}`,
    );
    return true;
  }

  /** One read (joining one under way). */
  run(signal?: AbortSignal): Promise<BlueprintsReadResult> {
    this.running ??= this.read(signal).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** run(), waiting at most `ms` for it ('pending' when it goes on). */
  async runWithin(ms: number): Promise<BlueprintsReadResult | 'pending'> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'pending'>(resolve => {
      timer = setTimeout(() => resolve('pending'), ms);
    });
    try {
      return await Promise.race([this.run(), waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async read(signal?: AbortSignal): Promise<BlueprintsReadResult> {
    const { url, reader, trees, catalog, logger } = this.options;
    let tree;
    try {
      const response = await reader.readTree(url, { etag: this.etag, signal });
      tree = { dir: await trees.extract(response), etag: response.etag };
    } catch (e) {
      if (isError(e) && e.name === 'NotModifiedError') {
        logger.debug(`blueprints from ${url}: unchanged (${this.etag})`);
        return 'unchanged';
      }
      const kept = catalog.list().map(b => b.blueprint.metadata.name);
      logger.warn(
        `blueprints could not be read from ${url}; keeping the last good ones (${
          kept.join(', ') || 'none'
        }): ${describe(e)}`,
      );
      return 'failed';
    }
    catalog.switchTo(tree.dir, url);
    this.etag = tree.etag;
    await trees.commit(url, tree);
    return 'updated';
  }
}

import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { isDefinitionFile, ScorecardDefinitions } from './ScorecardDefinitions';

/** An error's message, with its cause's (fetch's "fetch failed" says why in its cause). */
function describe(e: unknown): string {
  if (!isError(e)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  return isError(cause) ? `${e.message} (${cause.message})` : e.message;
}

/** What one refresh did: took a new tree, found it unchanged (etag), or could not read it. */
export type RefreshOutcome = 'read' | 'unchanged' | 'failed';

/**
 * Reads the scorecards folder in git (dora.scorecards.url) with the URL reader's `readTree`, in
 * memory, into ScorecardDefinitions. The tree's etag skips an unchanged tree; a failed read keeps
 * the definitions read before, logs a warning naming the URL and lists it in the definitions'
 * errors until a read succeeds.
 */
export class ScorecardTreeReader {
  private etag?: string;

  constructor(
    private readonly deps: {
      urlReader: UrlReaderService;
      /** dora.scorecards.url */
      url: string;
      definitions: ScorecardDefinitions;
      logger: LoggerService;
    },
  ) {}

  async refresh(signal?: AbortSignal): Promise<RefreshOutcome> {
    const { urlReader, url, definitions, logger } = this.deps;
    const base = url.endsWith('/') ? url.slice(0, -1) : url;
    try {
      const tree = await urlReader.readTree(url, {
        etag: this.etag,
        signal,
        filter: isDefinitionFile,
      });
      const files = await Promise.all(
        (
          await tree.files()
        ).map(async f => ({
          name: f.path,
          file: `${base}/${f.path}`,
          text: (await f.content()).toString('utf8'),
        })),
      );
      definitions.apply(files);
      this.etag = tree.etag;
      const cards = definitions.list().length;
      logger.info(
        `scorecard definitions: read ${files.length} file(s) from ${url} (${cards} scorecard(s), version ${tree.etag})`,
      );
      return 'read';
    } catch (e) {
      if (isError(e) && e.name === 'NotModifiedError') {
        definitions.readFailed(undefined);
        return 'unchanged';
      }
      const reason = describe(e);
      const kept = definitions.loaded()
        ? `the ${definitions.list().length} scorecard(s) read before stay`
        : 'no scorecards are loaded yet';
      logger.warn(
        `scorecard definitions: could not read ${url}; ${kept}: ${reason}`,
      );
      definitions.readFailed({
        file: url,
        message: `could not be read (${kept}): ${reason}`,
      });
      return 'failed';
    }
  }
}

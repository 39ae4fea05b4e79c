import { createHash } from 'node:crypto';
import { CircuitBreaker } from './CircuitBreaker';
import { DecisionCache } from './DecisionCache';
import {
  fallbackRuleFor,
  OpaFallbackConfig,
  OpaFallbackRule,
} from './fallback';
import {
  OpaClient,
  OpaDecision,
  OpaQueryOptions,
  OpaStatus,
  OpaUnavailableError,
} from './OpaClient';
import { OpaTransport } from './OpaTransport';
import { stableHash } from './stableHash';

export interface HttpOpaClientOptions {
  url: string;
  mode?: 'sidecar' | 'local';
  timeoutMs?: number;
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
  breakerFailureThreshold?: number;
  breakerResetMs?: number;
  /** `opa.fallback`, as fallbackFromConfig reads it (default: deny everything). */
  fallback?: Partial<OpaFallbackConfig>;
  /** Data paths hashed into the revision together with the policy modules (default none). */
  revisionDataPaths?: string[];
}

interface Pending {
  path: string;
  input: unknown;
  resolve: (d: OpaDecision) => void;
  reject: (e: Error) => void;
}

interface RawResponse {
  result?: unknown;
  decision_id?: string;
}

/**
 * OPA's Data API over HTTP/1.1 with keep-alive (OpaTransport). Every call has a timeout and goes through a
 * circuit breaker; answers are cached by (revision, path, cache key) for a short TTL; identical
 * queries in flight share one request; queries with a batch path made in the same tick go to
 * OPA as one request.
 */
export class HttpOpaClient implements OpaClient {
  private readonly transport: OpaTransport;
  private readonly breaker: CircuitBreaker;
  private readonly cache: DecisionCache<OpaDecision>;
  private readonly timeoutMs: number;
  private readonly fallback: OpaFallbackConfig;
  private readonly batches = new Map<string, Pending[]>();
  private revision: string | undefined;
  private lastError: string | undefined;
  private revisionTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: HttpOpaClientOptions) {
    this.transport = new OpaTransport(
      new URL(options.url.endsWith('/') ? options.url : `${options.url}/`),
    );
    this.timeoutMs = options.timeoutMs ?? 200;
    this.breaker = new CircuitBreaker({
      failureThreshold: options.breakerFailureThreshold ?? 5,
      resetMs: options.breakerResetMs ?? 2000,
    });
    this.cache = new DecisionCache({
      ttlMs: options.cacheTtlMs ?? 2000,
      maxEntries: options.cacheMaxEntries ?? 10000,
    });
    this.fallback = {
      allow: options.fallback?.allow ?? [],
      conditional: options.fallback?.conditional ?? [],
    };
  }

  query<T = unknown>(
    path: string,
    input: unknown,
    options: OpaQueryOptions = {},
  ): Promise<OpaDecision<T>> {
    const key = `${this.revision ?? '-'}|${path}|${
      options.cacheKey ?? `input:${stableHash(input)}`
    }`;
    const compute = () =>
      options.batchPath
        ? this.enqueue(path, input, options.batchPath)
        : this.post(path, { input }).then(raw => this.toDecision(path, raw));
    if (options.cacheKey === undefined) {
      // Not cacheable, but identical inputs in flight still share one request.
      return this.cache.coalesce(key, compute) as Promise<OpaDecision<T>>;
    }
    return this.cache.get(key, compute) as Promise<OpaDecision<T>>;
  }

  fallbackFor(permissionName: string): OpaFallbackRule | undefined {
    return fallbackRuleFor(this.fallback, permissionName);
  }

  status(): OpaStatus {
    return {
      url: this.transport.base.toString(),
      mode: this.options.mode ?? 'sidecar',
      breaker: this.breaker.state,
      revision: this.revision,
      lastError: this.lastError,
      timeoutMs: this.timeoutMs,
    };
  }

  /** Reads the policy revision now, then every `intervalMs`, until stop(). */
  async watchRevision(intervalMs: number): Promise<void> {
    await this.refreshRevision();
    this.revisionTimer = setInterval(() => {
      this.refreshRevision().catch(() => {});
    }, intervalMs);
    this.revisionTimer.unref();
  }

  /**
   * The revision is a hash of every policy module OPA has loaded and of the data under
   * `revisionDataPaths`: it changes exactly when a policy or its data changes. A bundle's own
   * revision, when OPA serves one, is part of the data it hashes.
   */
  async refreshRevision(): Promise<string | undefined> {
    try {
      const hash = createHash('sha256');
      const policies = await this.transport.request(
        'GET',
        'v1/policies',
        undefined,
        2000,
      );
      const modules = (
        (policies as { result?: Array<{ id: string; raw: string }> }).result ??
        []
      )
        .map(m => `${m.id}\n${m.raw}`)
        .sort();
      for (const m of modules) hash.update(m);
      for (const p of this.options.revisionDataPaths ?? []) {
        const data = await this.transport.request(
          'GET',
          `v1/data/${p}`,
          undefined,
          2000,
        );
        hash.update(JSON.stringify((data as RawResponse).result ?? null));
      }
      const revision = hash.digest('hex').slice(0, 12);
      if (revision !== this.revision) this.cache.clear();
      this.revision = revision;
    } catch {
      // Keep the last known revision; query() reports OPA's failures.
    }
    return this.revision;
  }

  stop(): void {
    if (this.revisionTimer) clearInterval(this.revisionTimer);
    this.transport.destroy();
  }

  private enqueue(
    path: string,
    input: unknown,
    batchPath: string,
  ): Promise<OpaDecision> {
    return new Promise((resolve, reject) => {
      let queue = this.batches.get(batchPath);
      if (!queue) {
        queue = [];
        this.batches.set(batchPath, queue);
        setImmediate(() => this.flush(batchPath));
      }
      queue.push({ path, input, resolve, reject });
    });
  }

  private async flush(batchPath: string) {
    const queue = this.batches.get(batchPath) ?? [];
    this.batches.delete(batchPath);
    if (queue.length === 1) {
      const [one] = queue;
      this.post(one.path, { input: one.input })
        .then(raw => one.resolve(this.toDecision(one.path, raw)))
        .catch(one.reject);
      return;
    }
    try {
      const raw = await this.post(batchPath, {
        input: { queries: queue.map(q => q.input) },
      });
      const results = raw.result;
      if (!Array.isArray(results) || results.length !== queue.length) {
        throw this.failed(
          new OpaUnavailableError(
            'malformed',
            `OPA's ${batchPath} answered ${describe(results)} for ${
              queue.length
            } queries; expected a list of ${queue.length}`,
          ),
        );
      }
      queue.forEach((q, i) => {
        if (results[i] === undefined || results[i] === null) {
          q.reject(
            new OpaUnavailableError(
              'undefined',
              `OPA left ${q.path} undefined`,
            ),
          );
        } else {
          q.resolve({
            result: results[i],
            decisionId: raw.decision_id,
            revision: this.revision,
          });
        }
      });
    } catch (e) {
      for (const q of queue) q.reject(e as Error);
    }
  }

  private toDecision(path: string, raw: RawResponse): OpaDecision {
    if (raw.result === undefined) {
      throw new OpaUnavailableError(
        'undefined',
        `OPA has no value for ${path}: is the policy loaded, and does the rule have a default?`,
      );
    }
    return {
      result: raw.result,
      decisionId: raw.decision_id,
      revision: this.revision,
    };
  }

  private async post(path: string, body: unknown): Promise<RawResponse> {
    if (!this.breaker.tryAcquire()) {
      throw new OpaUnavailableError(
        'breaker-open',
        `OPA is not asked for a moment after repeated failures (last: ${this.lastError})`,
      );
    }
    try {
      const raw = await this.transport.request(
        'POST',
        `v1/data/${path}`,
        body,
        this.timeoutMs,
      );
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new OpaUnavailableError(
          'malformed',
          `OPA answered ${describe(raw)} for ${path}`,
        );
      }
      this.breaker.succeed();
      return raw as RawResponse;
    } catch (e) {
      this.breaker.fail();
      throw this.failed(e as Error);
    }
  }

  private failed(e: Error): Error {
    this.lastError = e.message;
    return e;
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'nothing' : text.slice(0, 100);
}

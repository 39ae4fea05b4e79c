import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/**
 * Conditions the backend must meet before it reports ready, besides having started: a plugin adds
 * one (say, "the catalog holds the organisation's users and groups") so that a load balancer, and
 * scripts/start, send nobody to a backend that would answer wrongly.
 */
export interface ReadinessService {
  /**
   * Adds a condition. `check` is asked on each readiness probe until it first answers true, and
   * never again after that (a gate, once open, stays open). A check that throws counts as false.
   */
  addGate(name: string, check: () => Promise<boolean>): void;
  /** The names of the gates not yet open, each checked now if it has not opened before. */
  pending(): Promise<string[]>;
}

/** How long one gate's check may take before the probe counts it as closed. */
export const READINESS_CHECK_TIMEOUT_MS = 5_000;

export class DefaultReadinessService implements ReadinessService {
  readonly #gates = new Map<string, () => Promise<boolean>>();
  readonly #open = new Set<string>();

  addGate(name: string, check: () => Promise<boolean>) {
    if (this.#gates.has(name))
      throw new Error(`readiness gate "${name}" is already added`);
    this.#gates.set(name, check);
  }

  async pending(): Promise<string[]> {
    const closed = [...this.#gates].filter(([name]) => !this.#open.has(name));
    const results = await Promise.all(
      closed.map(async ([name, check]) => {
        const open = await withTimeout(check(), READINESS_CHECK_TIMEOUT_MS);
        if (open) this.#open.add(name);
        return open ? undefined : name;
      }),
    );
    return results.filter((n): n is string => n !== undefined);
  }
}

async function withTimeout(check: Promise<boolean>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check.catch(() => false),
      new Promise<boolean>(resolve => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The portal's readiness gates (root scope: one for the backend; any plugin may add a gate). */
export const readinessServiceRef = createServiceRef<ReadinessService>({
  id: 'portal.readiness',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => new DefaultReadinessService(),
    }),
});

/**
 * Backstage's root health service (GET /.backstage/health/v1/readiness), with the readiness gates:
 * 503 until the backend has started and every gate is open, naming the gates still closed.
 */
export const rootHealthWithGatesServiceFactory = createServiceFactory({
  service: coreServices.rootHealth,
  deps: {
    lifecycle: coreServices.rootLifecycle,
    readiness: readinessServiceRef,
  },
  async factory({ lifecycle, readiness }) {
    let state: 'init' | 'up' | 'down' = 'init';
    lifecycle.addStartupHook(() => {
      state = 'up';
    });
    lifecycle.addBeforeShutdownHook(() => {
      state = 'down';
    });
    const notReady = (message: string) => ({
      status: 503,
      payload: { status: 'error', message },
    });
    return {
      async getLiveness() {
        return { status: 200, payload: { status: 'ok' } };
      },
      async getReadiness() {
        if (state === 'init') return notReady('Backend has not started yet');
        if (state === 'down') return notReady('Backend is shutting down');
        const pending = await readiness.pending();
        if (pending.length > 0)
          return notReady(`Waiting for: ${pending.join('; ')}`);
        return { status: 200, payload: { status: 'ok' } };
      },
    };
  },
});

import { LoggerService } from '@backstage/backend-plugin-api';
import { durationToMilliseconds } from '@backstage/types';
import { Attribution } from '../attribution/Attribution';
import { DORA_CONFIG_DEFAULTS } from '../config/defaults';
import {
  DEFAULT_LINK_OPTIONS,
  linkSubject,
  LinkOptions,
} from '../linking/link';
import { ClaimedDelivery } from '../store/DeliveryQueue';
import { DoraStore } from '../store/DoraStore';
import { isHotfix, isRevert, Normalized, NormalizedEvent } from './events';
import { normalizeDelivery } from './normalize';
import { WebhookSource } from './sources';

export interface ProcessorOptions {
  /** Environment names that are production when the source does not say (lower case). */
  productionEnvironments: string[];
  link: LinkOptions;
  batchSize: number;
  /**
   * A kick waits until no delivery has arrived for this long (default 250 ms), so that receiving
   * keeps the cores during a burst and the burst is normalised in large batches...
   */
  quietMs?: number;
  /** ...but never longer than this after the first kick it coalesces (default 2000 ms). */
  maxDelayMs?: number;
}

/** The options of a processor made without config: the defaults of readDoraConfig. */
export const DEFAULT_PROCESSOR_OPTIONS: ProcessorOptions = {
  productionEnvironments: [...DORA_CONFIG_DEFAULTS.productionEnvironments],
  link: DEFAULT_LINK_OPTIONS,
  batchSize: DORA_CONFIG_DEFAULTS.processing.batchSize,
  quietMs: durationToMilliseconds(DORA_CONFIG_DEFAULTS.processing.quietPeriod),
  maxDelayMs: durationToMilliseconds(DORA_CONFIG_DEFAULTS.processing.maxDelay),
};

/**
 * Normalises stored deliveries, apart from receiving them: claims a batch from the queue, turns
 * each payload into deployments, changes and incidents attributed to catalog components, marks the
 * delivery processed, ignored (with the reason) or failed (retried with backoff), and then re-links
 * every subject the batch touched. Run by the scheduler on every replica, and kicked right after a
 * delivery is stored.
 */
export class DeliveryProcessor {
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly deps: {
      store: DoraStore;
      attribution: Attribution;
      sources: Map<string, WebhookSource>;
      logger?: LoggerService;
      now?: () => number;
    },
    private readonly options: ProcessorOptions = DEFAULT_PROCESSOR_OPTIONS,
  ) {}

  private now() {
    return this.deps.now?.() ?? Date.now();
  }

  /** Normalises one batch. Returns how many deliveries ended in each status. */
  async processBatch(): Promise<{
    processed: number;
    ignored: number;
    failed: number;
  }> {
    const { store } = this.deps;
    const batch = await store.deliveries.claim(
      this.options.batchSize,
      this.now(),
    );
    const counts = { processed: 0, ignored: 0, failed: 0 };
    const subjects = new Set<string>();
    for (const delivery of batch) {
      try {
        const normalized = this.normalize(delivery);
        if ('ignored' in normalized) {
          await store.deliveries.finish(
            delivery.id,
            'ignored',
            this.now(),
            normalized.ignored,
          );
          counts.ignored++;
          continue;
        }
        for (const s of await this.apply(delivery, normalized)) subjects.add(s);
        await store.deliveries.finish(delivery.id, 'processed', this.now());
        counts.processed++;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.deps.logger?.warn(
          `delivery ${delivery.id} (${delivery.source} ${delivery.eventType}) failed: ${message}`,
        );
        await store.deliveries.finish(
          delivery.id,
          'failed',
          this.now(),
          message,
          delivery.attempts,
        );
        counts.failed++;
      }
    }
    for (const subject of subjects) await this.relink(subject);
    return counts;
  }

  /** Processes batches until the queue has nothing due. */
  async drain(): Promise<void> {
    for (;;) {
      const c = await this.processBatch();
      if (c.processed + c.ignored + c.failed === 0) return;
    }
  }

  private timer?: NodeJS.Timeout;
  private firstKickAt?: number;

  /**
   * Asks for a drain in the background, after a lull in arrivals (`quietMs`, at most `maxDelayMs`
   * after the first kick of a burst): receiving comes first, and a webhook sender is answered
   * without waiting for the normaliser. Coalesced: one drain at a time, one more if kicked meanwhile.
   */
  kick(): void {
    const quiet = this.options.quietMs ?? DEFAULT_PROCESSOR_OPTIONS.quietMs!;
    if (quiet <= 0) {
      this.start();
      return;
    }
    const now = Date.now();
    this.firstKickAt ??= now;
    const wait = Math.max(
      0,
      Math.min(
        quiet,
        this.firstKickAt +
          (this.options.maxDelayMs ?? DEFAULT_PROCESSOR_OPTIONS.maxDelayMs!) -
          now,
      ),
    );
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush() {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.firstKickAt = undefined;
    this.start();
  }

  private start(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.drain();
        } catch (e) {
          this.deps.logger?.error(`normalising deliveries failed: ${e}`);
        }
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
  }

  /** Starts a kicked drain now instead of after the lull, and resolves when it has finished. */
  async idle(): Promise<void> {
    if (this.timer) this.flush();
    while (this.running) await this.running;
  }

  /**
   * Gives rows that arrived before the catalog knew their repository or service to the component
   * that claims them now, and re-links it. Returns the subjects moved.
   */
  async reattribute(): Promise<string[]> {
    const moved: string[] = [];
    for (const subject of await this.deps.store.unattributedSubjects()) {
      const [kind, ...rest] = subject.split(':');
      const name = rest.join(':');
      const who = await this.deps.attribution.resolve(
        kind === 'repo' ? { repo: name } : { service: name },
      );
      if (!who.componentRef) continue;
      await this.deps.store.moveSubject(subject, {
        subject: who.subject,
        componentRef: who.componentRef,
        teamRef: who.teamRef,
      });
      await this.relink(who.subject);
      await this.relink(subject);
      moved.push(subject);
    }
    return moved;
  }

  /** Rebuilds one subject's links from its rows. */
  async relink(subject: string): Promise<void> {
    const rows = await this.deps.store.loadSubject(subject);
    await this.deps.store.replaceLinks(
      subject,
      rows.deployments,
      linkSubject(rows, this.options.link),
    );
  }

  private normalize(d: ClaimedDelivery): Normalized {
    const source = this.deps.sources.get(d.source);
    return normalizeDelivery(d, {
      incidentLabels: source?.incidentLabels ?? ['incident'],
    });
  }

  /** Stores a delivery's events in one transaction; returns the subjects they touched. */
  private async apply(
    d: ClaimedDelivery,
    normalized: { events: NormalizedEvent[] },
  ) {
    const { store, attribution } = this.deps;
    const attributed = await Promise.all(
      normalized.events.map(async e => ({
        e,
        who: await attribution.resolve({
          repo: e.repo,
          service: e.service,
          component: e.component,
        }),
      })),
    );
    // the subjects the rows belong to (a row keeps the attribution of its first event)
    const subjects = new Set<string>();
    await store.transaction(async tx => {
      for (const { e, who } of attributed) {
        if (e.kind === 'deployment') {
          const production =
            e.production ??
            this.options.productionEnvironments.includes(
              e.environment.toLowerCase(),
            );
          subjects.add(
            await store.upsertDeployment(
              tx,
              `${d.source}:${e.externalId}`,
              e,
              who,
              production,
              d.id,
            ),
          );
        } else if (e.kind === 'change') {
          subjects.add(
            await store.upsertChange(tx, e, who, {
              revert: isRevert(e.title),
              hotfix: isHotfix(e.title),
            }),
          );
        } else {
          subjects.add(
            await store.upsertIncident(
              tx,
              `${d.source}:${e.externalId}`,
              e,
              who,
            ),
          );
        }
      }
    });
    return subjects;
  }
}

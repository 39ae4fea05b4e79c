import { MetricsResult } from '@internal/plugin-dora-common';

type ComponentQuery = {
  entity: { kind: 'component'; ref: string };
  windowDays: number;
  at?: Date;
};

/** The DORA metrics the scorecards read (DoraMetricsService). */
export interface ComponentMetricsSource {
  /** One component's metrics. */
  getMetrics(q: ComponentQuery): Promise<MetricsResult>;
  /** With emptyMetrics: the components with rows in a window, read once. */
  componentsWithRows?(q: {
    windowDays: number;
    at?: Date;
  }): Promise<Set<string>>;
  emptyMetrics?(q: ComponentQuery): MetricsResult;
  /** With componentsWithRows: many components' metrics, read together. */
  getMetricsMany?(q: {
    entities: Array<{ kind: 'component'; ref: string }>;
    windowDays: number;
    at?: Date;
  }): Promise<MetricsResult[]>;
}

/**
 * A component's metrics over a window ending at `now`, for the checks of one evaluation, each
 * window read once. The components with rows in the window are read once (componentsWithRows); the
 * metrics of those among `refs` (the catalog's entities) are read together, a few statements for
 * all of them (getMetricsMany), and the others' are emptyMetrics, known without reading. Without
 * those methods, or for a ref outside `refs`, each component's are read with getMetrics. (One
 * getMetrics a component with DORA history, two statements each, made the evaluation's time grow
 * faster than the organisation: scale.bench.ts.)
 */
export function componentMetrics(
  metrics: ComponentMetricsSource,
  refs: Iterable<string>,
  now: Date,
): (ref: string, windowDays: number) => Promise<MetricsResult> {
  const known = new Set(refs);
  const cache = new Map<string, Promise<MetricsResult>>();
  const windows = new Map<
    number,
    Promise<{ active: Set<string>; read: Map<string, MetricsResult> }>
  >();
  const readWindow = async (windowDays: number) => {
    const active = await metrics.componentsWithRows!({ windowDays, at: now });
    if (!metrics.getMetricsMany) return { active, read: new Map() };
    const refsToRead = [...active].filter(ref => known.has(ref));
    const results = refsToRead.length
      ? await metrics.getMetricsMany!({
          entities: refsToRead.map(ref => ({ kind: 'component', ref })),
          windowDays,
          at: now,
        })
      : [];
    return {
      active,
      read: new Map(refsToRead.map((ref, i) => [ref, results[i]])),
    };
  };
  const read = async (ref: string, windowDays: number) => {
    const q = {
      entity: { kind: 'component' as const, ref },
      windowDays,
      at: now,
    };
    if (!metrics.componentsWithRows || !metrics.emptyMetrics)
      return metrics.getMetrics(q);
    if (!windows.has(windowDays))
      windows.set(windowDays, readWindow(windowDays));
    const { active, read: results } = await windows.get(windowDays)!;
    const result = results.get(ref);
    if (result) return result;
    return active.has(ref) ? metrics.getMetrics(q) : metrics.emptyMetrics!(q);
  };
  return (ref, windowDays) => {
    const key = `${ref}|${windowDays}`;
    if (!cache.has(key)) cache.set(key, read(ref, windowDays));
    return cache.get(key)!;
  };
}

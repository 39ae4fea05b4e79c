import { TestApiProvider } from '@backstage/frontend-test-utils';
import {
  DORA_MAX_METRICS_BATCH,
  MetricsResult,
} from '@internal/plugin-dora-common';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { DoraApi, doraApiRef, MetricsOfEntity } from '../api/DoraApi';
import { MetricsBatchError } from '../api/DoraClient';
import { metricsResult, mockDoraApi } from '../__testUtils__/fixtures';
import { useMetricsOfMany } from './useMetricsOfMany';

/** A promise and the functions that settle it. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const teams = (n: number) =>
  Array.from({ length: n }, (_, i) => `group:default/team-${i}`);
const value = (entity: string, windowDays = 30): MetricsResult => ({
  ...metricsResult({}, windowDays),
  entity,
});

function render(api: DoraApi, entities: string[], windowDays = 30) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[doraApiRef, api]]}>{children}</TestApiProvider>
  );
  return renderHook(
    (props: { entities: string[]; windowDays: number }) =>
      useMetricsOfMany(props.entities, props.windowDays),
    { wrapper, initialProps: { entities, windowDays } },
  );
}

describe('useMetricsOfMany (API mocked)', () => {
  it(`asks ${DORA_MAX_METRICS_BATCH} entities a request, and fills the map in as each answer comes`, async () => {
    const answers = [0, 1, 2].map(() => deferred<MetricsOfEntity[]>());
    const api = mockDoraApi();
    api.getMetricsBatch.mockImplementation(
      () => answers[api.getMetricsBatch.mock.calls.length - 1].promise,
    );
    const entities = ['org', ...teams(2 * DORA_MAX_METRICS_BATCH + 19)];
    const { result } = render(api, entities);

    // ceil(220 / 100) = 3 requests, all sent at once, the entities in order
    expect(api.getMetricsBatch).toHaveBeenCalledTimes(3);
    const asked = api.getMetricsBatch.mock.calls.map(([req]) => req);
    expect(asked.map(r => r.entities.length)).toEqual([
      DORA_MAX_METRICS_BATCH,
      DORA_MAX_METRICS_BATCH,
      20,
    ]);
    expect(asked.flatMap(r => r.entities)).toEqual(entities);
    expect(asked.every(r => r.windowDays === 30)).toBe(true);
    expect(api.getMetrics).not.toHaveBeenCalled();
    expect(result.current).toEqual({});

    // the second batch answers first: its entities fill in, one with an error of its own
    const second = asked[1].entities;
    const hidden = new MetricsBatchError(
      404,
      'NotFoundError',
      `entity: ${second[1]} is not in the catalog, or you may not see it`,
    );
    await act(async () =>
      answers[1].resolve(
        second.map((entity, i) =>
          i === 1
            ? { entity, error: hidden }
            : { entity, value: value(entity) },
        ),
      ),
    );
    expect(Object.keys(result.current)).toHaveLength(DORA_MAX_METRICS_BATCH);
    expect(result.current[second[0]]).toEqual({ value: value(second[0]) });
    expect(result.current[second[1]]).toEqual({ error: hidden });
    expect(result.current.org).toBeUndefined();

    // the first fails as a whole: each of its entities gets the error; the third answers
    const down = new Error('503 Service Unavailable');
    await act(async () => answers[0].reject(down));
    const third = asked[2].entities;
    await act(async () =>
      answers[2].resolve(
        third.map(entity => ({ entity, value: value(entity) })),
      ),
    );
    expect(Object.keys(result.current)).toHaveLength(entities.length);
    expect(result.current.org).toEqual({ error: down });
    expect(result.current[asked[0].entities[99]]).toEqual({ error: down });
    expect(result.current[third[19]]).toEqual({ value: value(third[19]) });
  });

  it('starts afresh when the window changes, and drops the answers of the old one', async () => {
    const old = deferred<MetricsOfEntity[]>();
    const api = mockDoraApi();
    api.getMetricsBatch.mockImplementationOnce(() => old.promise);
    const entities = ['org', 'group:default/payments'];
    const { result, rerender } = render(api, entities, 30);
    rerender({ entities, windowDays: 7 });
    await waitFor(() =>
      expect(result.current['group:default/payments']?.value?.windowDays).toBe(
        7,
      ),
    );
    await act(async () =>
      old.resolve(entities.map(entity => ({ entity, value: value(entity) }))),
    );
    expect(result.current.org?.value?.windowDays).toBe(7);
    expect(api.getMetricsBatch).toHaveBeenLastCalledWith({
      entities,
      windowDays: 7,
    });
    // no entities, no request
    api.getMetricsBatch.mockClear();
    rerender({ entities: [], windowDays: 7 });
    expect(api.getMetricsBatch).not.toHaveBeenCalled();
    expect(result.current).toEqual({});
  });
});

import { MetricsResult, MetricValue } from '@internal/plugin-dora-common';
import { historyEnds, metricSeries, shortDay } from './window';

const metric = (value: number, prev: number): MetricValue => ({
  name: 'deploymentFrequency',
  value,
  unit: 'per-day',
  sampleSize: value * 7,
  insufficientData: false,
  previous: { value: prev, sampleSize: prev * 7 },
  details: {},
});

const result = (to: string, value: number, prev: number): MetricsResult => {
  const from = new Date(new Date(to).getTime() - 7 * 86400_000).toISOString();
  return {
    entity: 'component:default/a',
    windowDays: 7,
    from,
    to,
    benchmark: '2024',
    metrics: { deploymentFrequency: metric(value, prev) } as any,
  };
};

describe('window maths', () => {
  it('asks for windows ending two window lengths apart', () => {
    expect(historyEnds('2026-03-29T00:00:00.000Z', 7)).toEqual([
      '2026-03-15T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
    expect(historyEnds('2026-03-29T00:00:00.000Z', 30, 1)).toEqual([]);
  });

  it('puts consecutive windows in order, oldest first, from each response and its previous window', () => {
    const series = metricSeries(
      [
        result('2026-03-29T00:00:00.000Z', 6, 5),
        result('2026-03-01T00:00:00.000Z', 2, 1),
        result('2026-03-15T00:00:00.000Z', 4, 3),
      ],
      'deploymentFrequency',
    );
    expect(series.map(p => p.value)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(series.map(p => p.label)).toEqual([
      'Feb 22',
      'Mar 1',
      'Mar 8',
      'Mar 15',
      'Mar 22',
      'Mar 29',
    ]);
    expect(series[0]).toMatchObject({
      from: '2026-02-15T00:00:00.000Z',
      to: '2026-02-22T00:00:00.000Z',
      sampleSize: 7,
    });
  });

  it('labels days in UTC', () => {
    expect(shortDay('2026-12-31T23:00:00.000Z')).toBe('Dec 31');
  });
});

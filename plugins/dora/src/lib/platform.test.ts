import { adoptionBy, timeToFirstDeploySummary } from './platform';
import { median } from './stats';

describe('platform metrics', () => {
  const rows = [
    {
      templateRef: 'template:default/service',
      teamRef: 'group:default/payments',
      runs: 3,
      succeeded: 2,
    },
    {
      templateRef: 'template:default/library',
      teamRef: 'group:default/payments',
      runs: 1,
      succeeded: 1,
    },
    {
      templateRef: 'template:default/service',
      teamRef: 'group:default/storefront',
      runs: 4,
      succeeded: 4,
    },
    { templateRef: 'template:default/service', runs: 1, succeeded: 0 },
  ];

  it('adds template runs up per team and per template', () => {
    expect(adoptionBy(rows, 'team')).toEqual([
      { key: 'group:default/payments', runs: 4, succeeded: 3, distinct: 2 },
      { key: 'group:default/storefront', runs: 4, succeeded: 4, distinct: 1 },
      { key: 'unknown', runs: 1, succeeded: 0, distinct: 1 },
    ]);
    expect(adoptionBy(rows, 'template')).toEqual([
      { key: 'template:default/service', runs: 8, succeeded: 6, distinct: 3 },
      { key: 'template:default/library', runs: 1, succeeded: 1, distinct: 1 },
    ]);
  });

  it('summarises time to first deploy over the services that have deployed', () => {
    const base = {
      taskId: 't',
      templateRef: 'template:default/service',
      componentRef: 'component:default/x',
      createdAt: '',
    };
    expect(
      timeToFirstDeploySummary([
        { ...base, hours: 10 },
        { ...base, hours: 30 },
        { ...base },
      ]),
    ).toEqual({ deployed: 2, waiting: 1, medianHours: 20 });
    expect(median([])).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_SCHEDULE, readProviderSchedule } from './schedule';

const config = (schedule?: object) =>
  mockServices.rootConfig({
    data: schedule
      ? { catalog: { providers: { environments: { schedule } } } }
      : {},
  });

describe('the entity provider schedule', () => {
  it('is every 15 seconds (a minute at most, 5 seconds after start) when none is configured', () => {
    expect(readProviderSchedule(config())).toEqual({
      frequency: { seconds: 15 },
      timeout: { minutes: 1 },
      initialDelay: { seconds: 5 },
    });
    expect(readProviderSchedule(config())).toBe(DEFAULT_SCHEDULE);
  });

  it('reads catalog.providers.environments.schedule as every Backstage task schedule: durations, ISO durations, cron, scope', () => {
    expect(
      readProviderSchedule(
        config({
          frequency: { minutes: 5 },
          timeout: 'PT2M',
          initialDelay: { seconds: 30 },
          scope: 'local',
        }),
      ),
    ).toEqual({
      frequency: { minutes: 5 },
      timeout: { minutes: 2 },
      initialDelay: { seconds: 30 },
      scope: 'local',
    });
    expect(
      readProviderSchedule(
        config({
          frequency: { cron: '*/10 * * * *' },
          timeout: { minutes: 1 },
        }),
      ),
    ).toEqual({
      frequency: { cron: '*/10 * * * *' },
      timeout: { minutes: 1 },
    });
  });

  it('refuses a schedule that is set but incomplete or wrong, naming the key', () => {
    expect(() =>
      readProviderSchedule(config({ frequency: { minutes: 5 } })),
    ).toThrow(/^catalog\.providers\.environments\.schedule: .*timeout/);
    expect(() =>
      readProviderSchedule(
        config({ frequency: 'every minute', timeout: { minutes: 1 } }),
      ),
    ).toThrow(/^catalog\.providers\.environments\.schedule: /);
  });
});

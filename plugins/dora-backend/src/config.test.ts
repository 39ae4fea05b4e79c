import { ConfigReader } from '@backstage/config';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { readDoraConfig } from './config';
import { DEFAULT_PROCESSOR_OPTIONS } from './ingest/DeliveryProcessor';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './limits';
import { DEFAULT_LINK_OPTIONS } from './linking/link';

/** Long enough for production, and not a value of the repository (made at run time). */
const SECRET = randomBytes(24).toString('hex');
const read = (dora: object, nodeEnv?: string) =>
  readDoraConfig(new ConfigReader({ dora }), { nodeEnv });
const HOUR = 3600_000;

describe('readDoraConfig', () => {
  it('fills in every default', () => {
    const c = readDoraConfig(new ConfigReader({}), { nodeEnv: 'production' });
    expect(c).toEqual({
      sources: new Map(),
      maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
      processor: {
        productionEnvironments: ['production', 'prod'],
        link: {
          firstDeploymentLookbackMs: 30 * 24 * HOUR,
          incidentWindowMs: 24 * HOUR,
        },
        batchSize: 500,
        quietMs: 250,
        maxDelayMs: 2000,
      },
      processing: { immediate: true, frequency: { seconds: 10 } },
      metrics: {
        defaultBenchmark: '2024',
        benchmarks: {},
        minimumSample: {
          deploymentFrequency: 3,
          changeLeadTime: 3,
          changeFailureRate: 3,
          failedDeploymentRecoveryTime: 3,
          deploymentReworkRate: 3,
        },
      },
      scorecards: {
        dir: path.resolve('../../scorecards'),
        frequency: { minutes: 60 },
        initialDelay: { seconds: 60 },
        refreshFrequency: { minutes: 5 },
      },
      scaffolder: { sync: true, frequency: { minutes: 15 } },
    });
  });

  it('has the same defaults as the processor and the linker use without config', () => {
    const c = readDoraConfig(new ConfigReader({}));
    expect(c.processor.link).toEqual(DEFAULT_LINK_OPTIONS);
    expect(c.processor).toEqual(DEFAULT_PROCESSOR_OPTIONS);
  });

  it('reads durations as Backstage durations: objects, short strings and ISO 8601', () => {
    const c = read({
      processing: {
        frequency: { seconds: 30 },
        quietPeriod: '100ms',
        maxDelay: 'PT5S',
      },
      linking: { firstDeploymentLookback: { weeks: 1 }, incidentWindow: '2h' },
      scorecards: { frequency: '1h', initialDelay: { seconds: 45 } },
      scaffolder: { frequency: { hours: 1 } },
    });
    expect(c.processing.frequency).toEqual({ seconds: 30 });
    expect(c.processor).toMatchObject({
      quietMs: 100,
      maxDelayMs: 5000,
      link: {
        firstDeploymentLookbackMs: 7 * 24 * HOUR,
        incidentWindowMs: 2 * HOUR,
      },
    });
    expect(c.scorecards).toMatchObject({
      frequency: { hours: 1 },
      initialDelay: { seconds: 45 },
    });
    expect(c.scaffolder.frequency).toEqual({ hours: 1 });
  });

  it('still reads the number keys that the durations replace', () => {
    const c = read({
      processing: { frequencySeconds: 5, quietMs: 0, maxDelayMs: 1500 },
      linking: { firstDeploymentLookbackDays: 10, incidentWindowHours: 6 },
      scorecards: { frequencyMinutes: 30, initialDelaySeconds: 45 },
      scaffolder: { frequencyMinutes: 5 },
    });
    expect(c.processing.frequency).toEqual({ seconds: 5 });
    expect(c.processor).toMatchObject({
      quietMs: 0,
      maxDelayMs: 1500,
      link: {
        firstDeploymentLookbackMs: 10 * 24 * HOUR,
        incidentWindowMs: 6 * HOUR,
      },
    });
    expect(c.scorecards).toMatchObject({
      frequency: { minutes: 30 },
      initialDelay: { seconds: 45 },
    });
    expect(c.scaffolder.frequency).toEqual({ minutes: 5 });
  });

  it('refuses a duration and its number key together, and a malformed duration, naming the key', () => {
    expect(() =>
      read({ scorecards: { frequency: '1h', frequencyMinutes: 30 } }),
    ).toThrow(
      'dora.scorecards.frequencyMinutes: set dora.scorecards.frequency (a duration) instead, not both',
    );
    expect(() => read({ processing: { frequency: { secs: 1 } } })).toThrow(
      /^dora\.processing\.frequency: must be a duration, like \{ minutes: 15 \} or '15m'/,
    );
    expect(() => read({ processing: { frequency: 10 } })).toThrow(
      /^dora\.processing\.frequency: must be a duration/,
    );
  });

  it('reads the other settings', () => {
    const c = read({
      maxPayloadBytes: 4096,
      productionEnvironments: ['Live', 'PROD-EU'],
      processing: { immediate: false },
      metrics: {
        benchmark: 'acme',
        minimumSampleSize: 1,
        benchmarks: {
          acme: {
            thresholds: {
              deploymentFrequency: { elite: 10, high: 5, medium: 1 },
            },
          },
        },
      },
      scorecards: { dir: '/srv/scorecards' },
      scaffolder: { sync: false },
      sources: [{ id: 'gh', type: 'github', secret: SECRET }],
    });
    expect(c.maxPayloadBytes).toBe(4096);
    expect(c.processor.productionEnvironments).toEqual(['live', 'prod-eu']);
    expect(c.processing.immediate).toBe(false);
    expect(c.metrics.defaultBenchmark).toBe('acme');
    expect(Object.keys(c.metrics.benchmarks)).toEqual(['acme']);
    expect(new Set(Object.values(c.metrics.minimumSample))).toEqual(
      new Set([1]),
    );
    expect(c.scorecards.dir).toBe('/srv/scorecards');
    expect(c.scaffolder.sync).toBe(false);
    expect(c.sources.get('gh')).toMatchObject({ id: 'gh', type: 'github' });
    expect(c.demo).toBeUndefined();
  });

  it('reads the scorecards from a folder in git with dora.scorecards.url instead of dir, and refuses both, a URL that is not http(s) and credentials in it', () => {
    const url =
      'http://localhost:3300/acme/platform/src/branch/main/scorecards';
    const c = read({ scorecards: { url, refreshFrequency: '30s' } });
    expect(c.scorecards).toMatchObject({
      url,
      refreshFrequency: { seconds: 30 },
    });
    expect(c.scorecards.dir).toBeUndefined();
    // an overlay on a config that sets dir unsets it with null
    const overlay = readDoraConfig(
      new ConfigReader(
        { dora: { scorecards: { dir: null, url } } },
        'overlay',
        new ConfigReader({ dora: { scorecards: { dir: '../../scorecards' } } }),
      ),
    );
    expect(overlay.scorecards).toMatchObject({ url });
    expect(overlay.scorecards.dir).toBeUndefined();
    expect(() => read({ scorecards: { dir: '/srv/scorecards', url } })).toThrow(
      'dora.scorecards.dir, dora.scorecards.url: set one of them, not both',
    );
    for (const bad of ['scorecards', 'file:///srv/scorecards'])
      expect(() => read({ scorecards: { url: bad } })).toThrow(
        /^dora\.scorecards\.url: must be an http\(s\) URL of a folder in git/,
      );
    expect(() =>
      read({ scorecards: { url: 'http://me:pw@localhost:3300/acme/p' } }),
    ).toThrow(
      'dora.scorecards.url: must not carry credentials; the integrations section gives them',
    );
  });

  it('gives the demo seeder its source, and refuses one that is not configured', () => {
    const sources = [{ id: 'github-demo', type: 'github', secret: SECRET }];
    expect(read({ sources, demo: { seed: true } }).demo?.source.id).toBe(
      'github-demo',
    );
    expect(read({ sources, demo: { seed: false } }).demo).toBeUndefined();
    expect(() =>
      read({ sources, demo: { seed: true, source: 'nope' } }),
    ).toThrow("dora.demo.source: 'nope' is not one of dora.sources");
  });

  it('gives the demo seeder the repositories of dora.demo.repositories, and names a malformed one', () => {
    const sources = [{ id: 'github-demo', type: 'github', secret: SECRET }];
    expect(read({ sources, demo: { seed: true } }).demo?.repositories).toBe(
      undefined,
    );
    expect(
      read({
        sources,
        demo: { seed: true, repositories: ['acme/returns-indexer', 'a/b.c'] },
      }).demo?.repositories,
    ).toEqual(['acme/returns-indexer', 'a/b.c']);
    expect(() =>
      read({
        sources,
        demo: { seed: true, repositories: ['acme/ok', 'no-owner'] },
      }),
    ).toThrow(
      "dora.demo.repositories[1]: 'no-owner' must be owner/name (letters, digits, '.', '_' and '-')",
    );
  });

  it('refuses development defaults in production (NODE_ENV=production), naming the key', () => {
    const dev = {
      sources: [{ id: 'github-demo', type: 'github', secret: SECRET }],
      demo: { seed: true },
    };
    expect(read(dev, 'development').demo).toBeDefined();
    expect(() => read(dev, 'production')).toThrow(
      /^refusing to start with development defaults: dora\.demo\.seed: must be false \(production\)/,
    );
    expect(() =>
      read(
        {
          sources: [{ id: 'gh', type: 'github', secret: 'short-but-16-chars' }],
        },
        'production',
      ),
    ).toThrow('dora.sources[0].secret: must be at least 32 characters');
    expect(
      read(
        { sources: [{ id: 'gh', type: 'github', secret: SECRET }] },
        'production',
      ).sources.size,
    ).toBe(1);
  });
});

import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import os from 'node:os';
import path from 'node:path';
import { ENVIRONMENTS_DEFAULTS, readEnvironmentsConfig } from './config';
import {
  DEVELOPMENT_SECRETS_KEY,
  DEVELOPMENT_STATE_PASSPHRASE,
} from './secrets/secretsConfig';

const read = (environments: JsonObject = {}, env = {}) =>
  readEnvironmentsConfig(
    new ConfigReader({
      app: { baseUrl: 'http://localhost:3000' },
      environments,
    }),
    env,
  );

describe('readEnvironmentsConfig', () => {
  it('gives every default when nothing is set (as the plugin did before it read durations)', () => {
    const config = read();
    const workDir = path.join(os.tmpdir(), 'portal-environments');
    expect(config).toEqual({
      appBaseUrl: 'http://localhost:3000',
      blueprints: {
        type: 'dir',
        dir: path.resolve('../../templates/environments'),
      },
      workDir,
      runner: {
        workRoot: path.join(workDir, 'work'),
        state: { type: 'local', dir: path.join(workDir, 'state') },
        platformEnv: { postgresAdminUrl: undefined },
        stateEncryptionPassphrase: DEVELOPMENT_STATE_PASSPHRASE,
      },
      secrets: {
        keys: [DEVELOPMENT_SECRETS_KEY],
        statePassphrase: DEVELOPMENT_STATE_PASSPHRASE,
        warnings: [
          expect.stringMatching(/^environments\.secrets\.keys is not set/),
          expect.stringMatching(
            /^environments\.state\.encryption\.passphrase is not set/,
          ),
        ],
      },
      runs: {
        pollInterval: { seconds: 2 },
        heartbeatInterval: { seconds: 5 },
        staleAfter: { seconds: 60 },
        concurrency: 2,
      },
      retention: { maxAge: { days: 30 }, frequency: { minutes: 60 } },
      refusals: { max: 10, window: { minutes: 15 } },
      reminders: { before: { hours: 24 } },
      approvals: { notify: ['group:default/platform'] },
    });
    // the defaults are copies: changing one read config never changes the next
    config.runs.pollInterval.seconds = 99;
    expect(read().runs.pollInterval).toEqual(
      ENVIRONMENTS_DEFAULTS.runs.pollInterval,
    );
  });

  it('reads durations in each of Backstage’s forms, and the other keys', () => {
    const config = read({
      blueprintsDir: '/srv/blueprints',
      workDir: '/var/lib/environments',
      state: { pgConnectionString: 'postgresql://state@db/state' },
      postgres: { adminUrl: 'postgresql://admin@db/postgres' },
      runs: {
        pollInterval: '500ms',
        heartbeatInterval: 'PT3S',
        staleAfter: { minutes: 2 },
        concurrency: 0,
      },
      retention: { maxAge: '3d', frequency: { hours: 6 } },
      rateLimit: { refusals: { max: 3, window: '1h' } },
      reminders: { before: { hours: 2, minutes: 30 } },
    });
    expect(config).toMatchObject({
      blueprints: { type: 'dir', dir: '/srv/blueprints' },
      workDir: '/var/lib/environments',
      runner: {
        workRoot: '/var/lib/environments/work',
        state: {
          type: 'pg',
          connectionString: 'postgresql://state@db/state',
        },
        platformEnv: { postgresAdminUrl: 'postgresql://admin@db/postgres' },
      },
      runs: {
        pollInterval: { milliseconds: 500 },
        heartbeatInterval: { seconds: 3 },
        staleAfter: { minutes: 2 },
        concurrency: 0,
      },
      retention: { maxAge: { days: 3 }, frequency: { hours: 6 } },
      refusals: { max: 3, window: { hours: 1 } },
      reminders: { before: { hours: 2, minutes: 30 } },
    });
  });

  it('reads blueprints from a URL instead, every 5 minutes unless told, extracted under workDir', () => {
    const url =
      'http://localhost:3300/acme/platform/src/branch/main/blueprints';
    expect(
      read({ workDir: '/var/lib/environments', blueprints: { url } })
        .blueprints,
    ).toEqual({
      type: 'url',
      url,
      frequency: { minutes: 5 },
      extractDir: '/var/lib/environments/blueprints',
    });
    expect(
      read({ blueprints: { url: `${url}//`, frequency: '30s' } }).blueprints,
    ).toMatchObject({ url, frequency: { seconds: 30 } });
    // credentials belong to the integration: refused, and not repeated in the error
    const credentialedUrl = 'https://bot:hunter2@forge/acme/p/src/branch/main';
    expect(() => read({ blueprints: { url: credentialedUrl } })).toThrow(
      /^environments\.blueprints\.url: must not carry credentials; the integration for forge \(integrations\.\*\) has them$/,
    );
  });

  it('still honours the number keys the durations replace', () => {
    expect(
      read({
        runs: { pollSeconds: 1, heartbeatSeconds: 1, staleAfterSeconds: 4 },
        retention: { runDays: 3, intervalMinutes: 10 },
        rateLimit: { refusals: { windowMinutes: 5 } },
        reminders: { beforeHours: 12 },
      }),
    ).toMatchObject({
      runs: {
        pollInterval: { seconds: 1 },
        heartbeatInterval: { seconds: 1 },
        staleAfter: { seconds: 4 },
      },
      retention: { maxAge: { days: 3 }, frequency: { minutes: 10 } },
      refusals: { window: { minutes: 5 } },
      reminders: { before: { hours: 12 } },
    });
  });

  it.each([
    [
      { runs: { pollInterval: 'soon' } },
      /^environments\.runs\.pollInterval: must be a duration, like '2s'/,
    ],
    [
      { runs: { staleAfter: { minutes: 0 } } },
      /^environments\.runs\.staleAfter: must be a duration longer than zero$/,
    ],
    [
      { runs: { heartbeatInterval: { secs: 5 } } },
      /^environments\.runs\.heartbeatInterval: must be a duration, like .*Needs one or more of/,
    ],
    [
      { runs: { pollInterval: '1s', pollSeconds: 1 } },
      /^environments\.runs\.pollInterval: set either it or environments\.runs\.pollSeconds \(which it replaces\), not both$/,
    ],
    [
      { retention: { runDays: -1 } },
      /^environments\.retention\.runDays: must be a positive number, not -1$/,
    ],
    [
      { rateLimit: { refusals: { max: 0 } } },
      /^environments\.rateLimit\.refusals\.max: must be a positive number, not 0$/,
    ],
    [
      { runs: { concurrency: 1.5 } },
      /^environments\.runs\.concurrency: must be a whole number from 0/,
    ],
    [
      {
        blueprintsDir: '/srv/blueprints',
        blueprints: { url: 'http://localhost:3300/acme/p/src/branch/main' },
      },
      /^environments\.blueprints\.url and environments\.blueprintsDir: set one of them, not both/,
    ],
    [
      { blueprints: { frequency: '1m' } },
      /^environments\.blueprints\.frequency: is only used with environments\.blueprints\.url/,
    ],
    [
      { blueprints: { url: 'localhost:3300/acme' } },
      /^environments\.blueprints\.url: must be an http or https URL, not localhost:/,
    ],
    [
      { blueprints: { url: 'not a url' } },
      /^environments\.blueprints\.url: must be a URL/,
    ],
    [
      {
        blueprints: { url: 'https://forge/acme/p', frequency: { minutes: 0 } },
      },
      /^environments\.blueprints\.frequency: must be a duration longer than zero$/,
    ],
    [
      { reminders: { beforeHours: 'a day' } },
      /environments\.reminders\.beforeHours/,
    ],
  ])('refuses %j, naming the key', (environments, message) => {
    expect(() => read(environments)).toThrow(message);
  });

  it('refuses a development secret in production (read through secretsConfig)', () => {
    expect(() => read({}, { NODE_ENV: 'production' })).toThrow(
      /^environments\.secrets\.keys: is not set/,
    );
  });
});

/*
 * Secrets at rest: the SecretBox (AES-256-GCM, key rotation) and the production refusals. The
 * store's encrypted columns are tested in store/EnvironmentSecrets.test.ts.
 */
import { ConfigReader } from '@backstage/config';
import { SecretBox } from './SecretBox';
import {
  DEVELOPMENT_SECRETS_KEY,
  DEVELOPMENT_STATE_PASSPHRASE,
  readSecretsConfig,
} from './secretsConfig';

const oldKey = {
  id: 'k2026a',
  secret: 'an-old-key-that-is-long-enough-0123456789',
};
const newKey = {
  id: 'k2026b',
  secret: 'a-new-key-that-is-long-enough-9876543210',
};
const PASSWORD = 'b6a1d0c4e7f2489cb1d3a5e9f0c2d4e6';

describe('SecretBox', () => {
  it('encrypts with the first key, decrypts with any, and binds a value to its place', () => {
    const box = new SecretBox([oldKey]);
    const sealed = box.encrypt(PASSWORD, 'secret_outputs:a');
    expect(sealed).toMatch(/^enc:v1:k2026a:/);
    expect(sealed).not.toContain(PASSWORD);
    expect(box.encrypt(PASSWORD, 'secret_outputs:a')).not.toBe(sealed); // a fresh IV each time
    expect(box.decrypt(sealed, 'secret_outputs:a')).toBe(PASSWORD);
    expect(() => box.decrypt(sealed, 'secret_outputs:b')).toThrow(
      /does not decrypt/,
    );

    const rotated = new SecretBox([newKey, oldKey]);
    expect(rotated.decrypt(sealed, 'secret_outputs:a')).toBe(PASSWORD);
    expect(rotated.needsReencryption(sealed)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt('x', 'y'))).toBe(false);
    expect(() =>
      new SecretBox([newKey]).decrypt(sealed, 'secret_outputs:a'),
    ).toThrow(/key k2026a, which is not in environments.secrets.keys/);
    expect(() => new SecretBox([{ id: 'a:b', secret: 'x' }])).toThrow(
      /keys\[0\].id/,
    );
  });
});

describe('readSecretsConfig', () => {
  const prod = { NODE_ENV: 'production' };
  const good = {
    environments: {
      secrets: { keys: [{ id: 'k1', secret: 'x'.repeat(32) }] },
      state: { encryption: { passphrase: 'y'.repeat(32) } },
    },
  };
  const withKeys = (
    keys: Array<{ id: string; secret: string }>,
    passphrase = 'y'.repeat(32),
  ) =>
    new ConfigReader({
      environments: {
        secrets: { keys },
        state: { encryption: { passphrase } },
      },
    });

  it('accepts long, non-development values in production', () => {
    expect(readSecretsConfig(new ConfigReader(good), prod)).toMatchObject({
      keys: [{ id: 'k1' }],
      warnings: [],
    });
  });

  it.each([
    [
      'no keys',
      new ConfigReader({ environments: { state: good.environments.state } }),
      /^environments.secrets.keys: is not set/,
    ],
    [
      'the development key',
      withKeys([DEVELOPMENT_SECRETS_KEY]),
      /^environments.secrets.keys\[0\].secret: is the development key/,
    ],
    [
      'a short key',
      withKeys([
        { id: 'k1', secret: 'x'.repeat(40) },
        { id: 'k0', secret: 'short-but-16-chars' },
      ]),
      /^environments.secrets.keys\[1\].secret: is shorter than 32 characters/,
    ],
    [
      'no passphrase',
      new ConfigReader({
        environments: { secrets: good.environments.secrets },
      }),
      /^environments.state.encryption.passphrase: is not set/,
    ],
    [
      'the development passphrase',
      withKeys(good.environments.secrets.keys, DEVELOPMENT_STATE_PASSPHRASE),
      /^environments.state.encryption.passphrase: is the development passphrase/,
    ],
    [
      'a short passphrase',
      withKeys(good.environments.secrets.keys, 'z'.repeat(31)),
      /^environments.state.encryption.passphrase: is shorter than 32/,
    ],
  ])(
    'refuses to start in production with %s, naming the key',
    (_, config, message) => {
      expect(() => readSecretsConfig(config, prod)).toThrow(message);
    },
  );

  it('falls back to the development values outside production, with a warning', () => {
    const dev = readSecretsConfig(new ConfigReader({}), {
      NODE_ENV: 'development',
    });
    expect(dev).toMatchObject({
      keys: [DEVELOPMENT_SECRETS_KEY],
      statePassphrase: DEVELOPMENT_STATE_PASSPHRASE,
    });
    expect(dev.warnings).toHaveLength(2);
  });
});

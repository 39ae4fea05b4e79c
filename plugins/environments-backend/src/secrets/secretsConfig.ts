import { RootConfigService } from '@backstage/backend-plugin-api';
import { MIN_TOFU_PASSPHRASE_LENGTH } from '../runner/stateEncryption';
import { SecretKey } from './SecretBox';

/** Production keys and passphrases must be at least this long. */
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

/**
 * The development values: in app-config.yaml (the embedded default) and used when nothing is
 * configured outside production. A production backend refuses to start with either.
 */
export const DEVELOPMENT_SECRETS_KEY: SecretKey = {
  id: 'dev',
  secret: 'development-only-environments-secrets-key-not-for-production',
};
export const DEVELOPMENT_STATE_PASSPHRASE =
  'development-only-environments-state-passphrase';

export interface SecretsConfig {
  /** environments.secrets.keys: the first encrypts, all decrypt. */
  keys: SecretKey[];
  /** environments.state.encryption.passphrase: OpenTofu's state encryption. */
  statePassphrase: string;
  /** What was not configured and fell back to a development value (outside production only). */
  warnings: string[];
}

/**
 * Reads the keys that protect environment secrets at rest. With NODE_ENV=production it refuses,
 * naming the key, a missing value, a development value, or one shorter than 32 characters.
 */
export function readSecretsConfig(
  config: RootConfigService,
  env: NodeJS.ProcessEnv = process.env,
): SecretsConfig {
  const production = env.NODE_ENV === 'production';
  const warnings: string[] = [];
  const refuse = (key: string, rule: string) =>
    new Error(
      `${key}: ${rule}; the environments plugin does not start in production with it (NODE_ENV=production)`,
    );

  const keyConfigs = config.getOptionalConfigArray('environments.secrets.keys');
  let keys: SecretKey[];
  if (!keyConfigs || keyConfigs.length === 0) {
    if (production) throw refuse('environments.secrets.keys', 'is not set');
    warnings.push(
      'environments.secrets.keys is not set: secret outputs are encrypted with the development key',
    );
    keys = [DEVELOPMENT_SECRETS_KEY];
  } else {
    keys = keyConfigs.map(k => ({
      id: k.getString('id'),
      secret: k.getString('secret'),
    }));
  }
  if (production) {
    keys.forEach((k, i) => {
      const name = `environments.secrets.keys[${i}].secret`;
      if (k.secret === DEVELOPMENT_SECRETS_KEY.secret)
        throw refuse(name, 'is the development key from the repository');
      if (k.secret.length < MIN_PRODUCTION_SECRET_LENGTH)
        throw refuse(
          name,
          `is shorter than ${MIN_PRODUCTION_SECRET_LENGTH} characters`,
        );
    });
  }

  const passphraseKey = 'environments.state.encryption.passphrase';
  let statePassphrase = config.getOptionalString(passphraseKey);
  if (!statePassphrase) {
    if (production) throw refuse(passphraseKey, 'is not set');
    warnings.push(
      `${passphraseKey} is not set: OpenTofu state is encrypted with the development passphrase`,
    );
    statePassphrase = DEVELOPMENT_STATE_PASSPHRASE;
  }
  if (production) {
    if (statePassphrase === DEVELOPMENT_STATE_PASSPHRASE)
      throw refuse(
        passphraseKey,
        'is the development passphrase from the repository',
      );
    if (statePassphrase.length < MIN_PRODUCTION_SECRET_LENGTH)
      throw refuse(
        passphraseKey,
        `is shorter than ${MIN_PRODUCTION_SECRET_LENGTH} characters`,
      );
  } else if (statePassphrase.length < MIN_TOFU_PASSPHRASE_LENGTH) {
    throw new Error(
      `${passphraseKey}: must be at least ${MIN_TOFU_PASSPHRASE_LENGTH} characters`,
    );
  }
  return { keys, statePassphrase, warnings };
}

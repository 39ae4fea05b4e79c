import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { EnvironmentsConfig } from '../config';
import { SecretBox } from '../secrets/SecretBox';
import { EnvironmentStore } from './EnvironmentStore';

/**
 * The store on the plugin's database (migrated unless the backend skips migrations), its stored
 * secrets re-encrypted with the first configured key when a rotation left some under another.
 */
export async function openStore(
  database: DatabaseService,
  config: Pick<EnvironmentsConfig, 'secrets'>,
  logger: LoggerService,
): Promise<EnvironmentStore> {
  const store = await EnvironmentStore.create(await database.getClient(), {
    skipMigrations: database.migrations?.skip,
    secrets: new SecretBox(config.secrets.keys),
  });
  const reencrypted = await store.secrets.reencrypt();
  if (reencrypted)
    logger.info(
      `encrypted ${reencrypted} stored secret value(s) with key ${config.secrets.keys[0].id}`,
    );
  return store;
}

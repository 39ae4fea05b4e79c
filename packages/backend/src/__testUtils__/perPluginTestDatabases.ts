/*
 * A database service for startTestBackend that gives every plugin a logical database of its own
 * from TestDatabases, as the real backend does (backstage_plugin_<id> on PostgreSQL, one SQLite
 * database per plugin). mockServices.database.factory({ knex }) hands the SAME knex to every
 * plugin instead, which breaks once two plugins run knex migrations: the catalog and the pg search
 * engine both keep theirs in the default `knex_migrations` table. On PostgreSQL, started together,
 * they race to create it ("duplicate key value violates unique constraint
 * pg_type_typname_nsp_index"); and knex refuses to migrate against a table that lists migrations
 * missing from its own directory ("The migration directory is corrupt").
 */

// Test-only: imported by *.test.ts files alone, hence from devDependencies, which the rule expects
// only in files named like tests.
/* eslint-disable @backstage/no-undeclared-imports */

import {
  DatabaseService,
  ServiceFactory,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';

export interface PerPluginTestDatabases {
  /** Install this in startTestBackend's features. */
  factory: ServiceFactory<DatabaseService, 'plugin', 'singleton'>;
  /** The knex of one plugin's database, created on first use. */
  client(pluginId: string): Promise<Knex>;
}

export function perPluginTestDatabases(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): PerPluginTestDatabases {
  const clients = new Map<string, Promise<Knex>>();

  const client = (pluginId: string) => {
    let knex = clients.get(pluginId);
    if (!knex) {
      // TestDatabases.init creates a fresh database (PostgreSQL: CREATE DATABASE db<random hex>;
      // SQLite: a new :memory: connection) and destroys/drops it in its own afterAll.
      knex = databases.init(databaseId);
      clients.set(pluginId, knex);
    }
    return knex;
  };

  const factory = createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    factory({ plugin }) {
      const pluginId = plugin.getId();
      // Lazy, so that plugins which never touch a database do not get one.
      return { getClient: () => client(pluginId) };
    },
  });

  return { factory, client };
}

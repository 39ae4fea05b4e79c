import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { ChangeEvent, DeploymentEvent, IncidentEvent } from '../ingest/events';
import { ChangeStore } from './ChangeStore';
import { DeliveryQueue } from './DeliveryQueue';
import { DeploymentStore } from './DeploymentStore';
import { IncidentStore } from './IncidentStore';
import { LinkStore } from './LinkStore';
import { MetricsBatchStore } from './MetricsBatchStore';
import { MetricsStore } from './MetricsStore';
import { PlatformStore } from './PlatformStore';
import { Attributed, DeploymentRow, LinkResult, SubjectRows } from './rows';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-dora-backend',
  'migrations',
);

/**
 * The dora plugin's database: runs the migrations, and holds one store per aggregate, all on the
 * same connection, all working on PostgreSQL and SQLite. Every SQL statement of the plugin is in
 * these stores (src/store/); the services compute over the rows they return.
 *  - `deliveries`: the delivery queue (raw webhook and API deliveries);
 *  - `deployments`, `changes`, `incidents`: the normalised rows;
 *  - `links`: what the linker reads and derives per subject, and the daily lead times;
 *  - `metrics`: the aggregates the five metrics are computed from; `metricsBatch`: the same for
 *    many components or teams at once;
 *  - `platform`: template runs.
 * The scorecards' results are kept by ScorecardStore, on the same database.
 */
export class DoraStore {
  static async create(knex: Knex, options: { skipMigrations?: boolean } = {}) {
    if (!options.skipMigrations) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new DoraStore(knex);
  }

  readonly deliveries: DeliveryQueue;
  readonly deployments: DeploymentStore;
  readonly changes: ChangeStore;
  readonly incidents: IncidentStore;
  readonly links: LinkStore;
  readonly metrics: MetricsStore;
  readonly metricsBatch: MetricsBatchStore;
  readonly platform: PlatformStore;

  private constructor(readonly db: Knex) {
    this.deliveries = new DeliveryQueue(db);
    this.deployments = new DeploymentStore(db);
    this.changes = new ChangeStore(db);
    this.incidents = new IncidentStore(db);
    this.links = new LinkStore(db);
    this.metrics = new MetricsStore(db);
    this.metricsBatch = new MetricsBatchStore(db);
    this.platform = new PlatformStore(db);
  }

  get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  /** Runs `fn` in one transaction: the upserts of one delivery are written together or not at all. */
  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  // The normalised rows (see DeploymentStore, ChangeStore, IncidentStore); each returns the subject.

  upsertDeployment(
    tx: Knex.Transaction,
    id: string,
    e: DeploymentEvent,
    who: Attributed,
    production: boolean,
    deliveryRowId: number,
  ): Promise<string> {
    return this.deployments.upsert(tx, id, e, who, production, deliveryRowId);
  }

  upsertChange(
    tx: Knex.Transaction,
    e: ChangeEvent,
    who: Attributed,
    flags: { revert: boolean; hotfix: boolean },
  ): Promise<string> {
    return this.changes.upsert(tx, e, who, flags);
  }

  upsertIncident(
    tx: Knex.Transaction,
    id: string,
    e: IncidentEvent,
    who: Attributed,
  ): Promise<string> {
    return this.incidents.upsert(tx, id, e, who);
  }

  // Linking (see LinkStore)

  loadSubject(subject: string): Promise<SubjectRows> {
    return this.links.loadSubject(subject);
  }

  replaceLinks(
    subject: string,
    deployments: DeploymentRow[],
    result: LinkResult,
  ): Promise<void> {
    return this.links.replaceLinks(subject, deployments, result);
  }

  unattributedSubjects(): Promise<string[]> {
    return this.links.unattributedSubjects();
  }

  moveSubject(
    from: string,
    to: { subject: string; componentRef: string; teamRef?: string },
  ): Promise<void> {
    return this.links.moveSubject(from, to);
  }
}

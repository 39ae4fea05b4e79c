/*
 * The portal backend's memory on a loaded catalog (catalog.bench.ts, PostgreSQL only): a
 * production boot of packages/backend/src/index.ts (src/__testUtils__/productionBackend.ts: the
 * image's config files, NODE_ENV=production, every plugin of the image) on the catalog database
 * the bench loaded, with the same generated `file` location (so nothing is loaded again or
 * deleted) and an OPA server with the generated policies. Its RSS is VmRSS from /proc, summed
 * over the backend's process group (the backend is started in a group of its own):
 *   - idle: once the catalog collator's first search index run of this boot has ended, nothing in
 *     the catalog is due for processing, and STABLE_SAMPLES samples SAMPLE_MS apart (taken while
 *     so) are within STABLE_SPREAD of each other, at least MIN_SETTLE_MS after readiness (the
 *     boot's peak, ~600 MB while modules are compiled on load, is held for one to two minutes,
 *     then given back at once: a 30 s settle measured the peak, so the stable span is 2 minutes);
 *   - after LIST_ROUNDS lists of every component (pages of 250, GET
 *     /api/catalog/entities/by-query) with a static token (a service: no permission policy).
 */
import { freePort } from '@internal/plugin-platform-node';
import { recordScale, recordScaleNote } from '@internal/backend-test-utils';
import fs from 'node:fs';
import knexFactory, { Knex } from 'knex';
import {
  boot,
  bootSlot,
  pgUrl,
  productionEnv,
  readyOrExit,
  secret,
  stop,
} from '../../src/__testUtils__/productionBackend';
import { organisationLocation } from './writePortalConfig';

const TABLE = 'Portal backend memory (a production boot, PostgreSQL)';
const SAMPLE_MS = 5_000;
const STABLE_SAMPLES = 24;
const STABLE_SPREAD = 0.02;
const MIN_SETTLE_MS = 120_000;
const MAX_SETTLE_MS = 10 * 60_000;
const LIST_ROUNDS = 3;
/** The search collator's task (search-backend-node names it after the document type). */
const COLLATOR_TASK = 'search_index_software_catalog';

/** VmRSS of every process in a process group, in MB, and how many processes there are. */
export function groupRss(pgid: number): { mb: number; processes: number } {
  let kb = 0;
  let processes = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // after "pid (comm) ": state, ppid, pgrp, ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
      if (!rss) continue; // a zombie has no memory
      kb += Number(rss[1]);
      processes++;
    } catch {
      // the process has exited meanwhile
    }
  }
  return { mb: kb / 1024, processes };
}

/** Whether the catalog and the search index are quiet: the first index run ended, nothing due. */
async function quiet(search: Knex, catalog: Knex, since: Date) {
  const task = await search('backstage_backend_tasks__tasks')
    .where('id', COLLATOR_TASK)
    .first('last_run_ended_at', 'last_run_error_json');
  const indexed =
    task?.last_run_ended_at && new Date(task.last_run_ended_at) >= since;
  if (indexed && task.last_run_error_json)
    console.warn(`${COLLATOR_TASK} failed: ${task.last_run_error_json}`);
  const [{ due }] = await catalog('refresh_state')
    .where('next_update_at', '<=', catalog.fn.now())
    .count({ due: '*' });
  return Boolean(indexed) && Number(due) === 0;
}

/** Samples until idle (see the header); the idle RSS and how long it took, or undefined seconds. */
async function waitForIdle(pgid: number, prefix: string, since: Date) {
  const connect = (plugin: string) =>
    knexFactory({
      client: 'pg',
      connection: `${pgUrl}/${prefix}${plugin}`,
      pool: { min: 0, max: 1 },
    });
  const search = connect('search');
  const catalog = connect('catalog');
  const readyAt = Date.now();
  let window: number[] = [];
  try {
    for (;;) {
      await new Promise(r => setTimeout(r, SAMPLE_MS));
      const { mb, processes } = groupRss(pgid);
      if (processes === 0) throw new Error('the production backend has exited');
      window = (await quiet(search, catalog, since))
        ? [...window, mb].slice(-STABLE_SAMPLES)
        : [];
      const elapsed = Date.now() - readyAt;
      const stable =
        window.length === STABLE_SAMPLES &&
        Math.max(...window) - Math.min(...window) <=
          STABLE_SPREAD * Math.max(...window);
      if (stable && elapsed >= MIN_SETTLE_MS)
        return { mb, processes, seconds: elapsed / 1000 };
      if (elapsed >= MAX_SETTLE_MS)
        return { mb, processes, seconds: undefined };
    }
  } finally {
    await search.destroy();
    await catalog.destroy();
  }
}

/**
 * Forgets the search plugin's scheduled tasks that the bench's backends ran in `<prefix>search`:
 * a task already in the table is first run one frequency after start (5 minutes for the catalog
 * collator) rather than after its initial delay, as on a new installation.
 */
async function forgetSearchTasks(prefix: string) {
  const db = knexFactory({
    client: 'pg',
    connection: `${pgUrl}/${prefix}search`,
    pool: { min: 0, max: 1 },
  });
  try {
    await db('backstage_backend_tasks__tasks').delete();
  } finally {
    await db.destroy();
  }
}

/** Every page of the components, as a service with the static token; how many there are. */
async function listComponents(base: string, token: string) {
  let cursor: string | undefined;
  let n = 0;
  do {
    const q = cursor
      ? `cursor=${encodeURIComponent(cursor)}`
      : 'filter=kind=component&limit=250';
    const res = await fetch(`${base}/api/catalog/entities/by-query?${q}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok)
      throw new Error(`catalog list: HTTP ${res.status} ${await res.text()}`);
    const body = await res.json();
    n += body.items.length;
    cursor = body.pageInfo?.nextCursor;
  } while (cursor);
  return n;
}

export interface PortalRssOptions {
  scale: number;
  /** The database prefix whose `<prefix>catalog` the bench loaded. */
  prefix: string;
  /** The generated Location file the bench registered. */
  locationFile: string;
  /** An OPA server with the generated policies. */
  opaUrl: string;
}

/**
 * Boots the production backend on the loaded catalog (in one of the production tests' boot slots,
 * which bound their PostgreSQL connections), records its RSS idle and after the lists, stops it.
 */
export async function measurePortalRss(options: PortalRssOptions) {
  const port = await freePort();
  const token = secret();
  const env: Record<string, string> = {
    ...productionEnv(port, options.opaUrl),
    APP_CONFIG_backend_database_prefix: options.prefix,
    // app-config.production.yaml's catalog/all.yaml location and its rules, on the generated file
    APP_CONFIG_catalog_locations: JSON.stringify([
      organisationLocation(options.locationFile),
    ]),
    APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
      {
        type: 'static',
        options: { token, subject: 'scale-bench' },
        accessRestrictions: [{ plugin: 'catalog' }],
      },
    ]),
  };
  await forgetSearchTasks(options.prefix);
  const release = await bootSlot();
  const since = new Date();
  const b = boot(env);
  try {
    const result = await readyOrExit(b, env.PORTAL_BASE_URL);
    if (result !== 'ready')
      throw new Error(
        `the production backend exited (${result.code}):\n${b
          .output()
          .slice(-3000)}`,
      );
    const idle = await waitForIdle(b.child.pid!, options.prefix, since);
    let listed = 0;
    for (let round = 0; round < LIST_ROUNDS; round++)
      listed = await listComponents(env.PORTAL_BASE_URL, token);
    const after = groupRss(b.child.pid!);
    recordScale(TABLE, options.scale, {
      'Portal backend RSS idle, MB (a production boot on this catalog)':
        idle.mb,
      'seconds from ready to idle':
        idle.seconds ?? `not idle after ${MAX_SETTLE_MS / 1000}`,
      [`Portal backend RSS after listing every component ${LIST_ROUNDS} times, MB`]:
        after.mb,
      'components listed (a service)': listed,
      'processes in its group': after.processes,
    });
  } finally {
    await stop(b);
    await release();
  }
  recordScaleNote(
    TABLE,
    `The real backend (packages/backend/src/index.ts, app-config.yaml + app-config.production.yaml, NODE_ENV=production, every plugin of the image) started after the measurements above on the catalog database they loaded, with the generated Location and an OPA server with the generated policies; the other plugins' databases are new (search's holds the test backends' task table, emptied so that the collator first runs 15 s after start as on a new installation; production's search uses the pg engine). PostgreSQL only: production runs on PostgreSQL. RSS is VmRSS from /proc summed over the backend's process group. Idle: the first search index run of the catalog has ended, no entity is due for processing, and ${STABLE_SAMPLES} samples ${
      SAMPLE_MS / 1000
    } s apart are within ${STABLE_SPREAD * 100}% (at least ${
      MIN_SETTLE_MS / 1000
    } s after ready: the boot's peak while TypeScript is compiled on load, ~600 MB, is held for one to two minutes). Unlike the image, modules are compiled on load (Backstage's node transform), not bundled. Then the list of every component in pages of 250, ${LIST_ROUNDS} times, with a static token (a service, so no permission policy). Target (issue 14): idle RSS at 1,000× ≤ 2 × its value at 1×.`,
  );
}

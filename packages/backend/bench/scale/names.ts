/*
 * Word lists for realistic-ish names, and a namer that keeps names unique per entity kind and
 * valid for Backstage (at most 63 characters of [a-z0-9-], starting and ending alphanumeric).
 */

const words = (list: string) => list.trim().split(/\s+/);

/** Engineering top-level units; the last top-level unit is always BUSINESS_UNIT. */
export const TOP_UNITS = words(`
  platform commerce finance logistics data growth mobile security media travel
`);

/** The non-engineering top-level unit: its people hold no developer role (viewers). */
export const BUSINESS_UNIT = 'business';

/** Product areas: department, team, system, component and resource names start with one. */
export const AREAS = words(`
  payments ledger billing invoicing tax payouts wallet cards lending fraud risk accounts
  identity checkout basket orders pricing catalog search reviews recommendations loyalty
  promotions marketing ads content localisation inventory warehouse fulfilment shipping
  returns routing scheduling maps fleet procurement suppliers analytics reporting
  forecasting experiments telemetry messaging notifications email chat support onboarding
  subscriptions compliance audit consent observability networking storage compute builds
  releases docs media video images devices sensors bookings events partners crm sales
  payroll hiring learning workplace
`);

export const TEAM_SUFFIXES = words(`
  core api web apps infra insights ops integrations experience engine tools pipeline sre
  quality growth foundations
`);

export const SYSTEM_SUFFIXES = words(`
  platform engine hub suite gateway pipeline store console core network services manager
`);

export const COMPONENT_SUFFIXES = {
  service: words(`
    service api worker scheduler importer exporter indexer gateway proxy adapter consumer
    publisher bff sync jobs backend
  `),
  website: words(`web admin portal dashboard app`),
  library: words(`lib sdk client ui-kit schemas`),
};

/** What a system or component is about, within its area. */
export const SUBJECTS = words(`
  account profile session token invoice refund label rate quote stock slot route price
  offer coupon review rating image asset report alert config feature flag schedule batch
  file document message template rule policy ticket order payment card contract vendor
  shipment parcel booking voucher
`);

export const RESOURCE_KINDS = [
  ['database', 'db'],
  ['database', 'store'],
  ['s3-bucket', 'bucket'],
  ['queue', 'queue'],
  ['cache', 'cache'],
  ['topic', 'topic'],
] as const;

export const LANGUAGES = words(`
  java kotlin typescript go python rust
`);

export const FIRST_NAMES = words(`
  ada aisha alex amir ana anna arjun ben bianca carla chen chloe dan dev diego elena eli
  emma farah fatima felix grace hana hugo ines ivan jade jonas julia kai kenji lara leo
  lina luca maria marta max maya mei mohamed nadia nina noah olga omar paula priya raj rosa
  sam sara sofia tariq theo tom uma vera yusuf zoe
`);

export const LAST_NAMES = words(`
  alvarez anders baker bauer brooks campbell chen costa cruz desai dubois evans farouk
  fischer garcia gomez hansen hughes ivanova jensen kaur khan kim kowalski larsen lee lopez
  martin meyer moreau murphy nakamura nguyen novak okafor olsen patel perez petrov quinn
  rossi santos schmidt silva singh smith sousa tanaka taylor torres usman valdez vogel
  wagner walker wang weber yamamoto yilmaz zhang
`);

const VALID_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const ACRONYMS: Record<string, string> = {
  api: 'API',
  bff: 'BFF',
  crm: 'CRM',
  db: 'DB',
  grpc: 'gRPC',
  sdk: 'SDK',
  sre: 'SRE',
  ui: 'UI',
};

export const titleCase = (name: string) =>
  name
    .split('-')
    .map(w => ACRONYMS[w] ?? w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

/** Unique names for one entity kind: a taken name gets -2, -3, ... */
export class Namer {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }

  /** The first candidate not taken yet, or the last one made unique. */
  first(...candidates: string[]): string {
    const free = candidates.find(c => !this.taken.has(c));
    return this.unique(free ?? candidates[candidates.length - 1]);
  }

  unique(base: string): string {
    const trimmed = base.slice(0, 56).replace(/-+$/, '');
    let name = trimmed;
    for (let n = 2; this.taken.has(name); n++) name = `${trimmed}-${n}`;
    if (!VALID_NAME.test(name))
      throw new Error(`invalid entity name "${name}"`);
    this.taken.add(name);
    return name;
  }
}

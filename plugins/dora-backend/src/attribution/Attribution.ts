import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Attributed } from '../store/DoraStore';

/** What an event says it is about. */
export interface EventTarget {
  repo?: string;
  service?: string;
  component?: string;
}

/** Maps an event to a catalog component and that component's owner at the time. */
export interface Attribution {
  resolve(target: EventTarget): Promise<Attributed>;
}

/** A repository slug from a source-location annotation: url:https://host/owner/repo/tree/main/ -> owner/repo. */
export function slugFromSourceLocation(location: string): string | undefined {
  const m = /^url:https?:\/\/[^/]+\/(.+?)(?:\/-)?\/(?:tree|blob|src)\/.*$/.exec(location) ?? /^url:https?:\/\/[^/]+\/([^?#]+?)\/?(?:\.git)?$/.exec(location);
  return m?.[1]?.replace(/\.git$/, '').toLowerCase();
}

/** The index attribution reads: repository slug and service name to component, component to owner. */
export class ComponentIndex {
  private readonly byRepo = new Map<string, string>();
  private readonly byName = new Map<string, string>();
  private readonly owners = new Map<string, string | undefined>();

  constructor(components: Entity[]) {
    for (const e of components) {
      const ref = stringifyEntityRef(e);
      const owner = typeof e.spec?.owner === 'string' ? stringifyEntityRef(parseEntityRef(e.spec.owner, { defaultKind: 'group', defaultNamespace: e.metadata.namespace ?? 'default' })) : undefined;
      this.owners.set(ref, owner);
      const a = e.metadata.annotations ?? {};
      for (const slug of [a['github.com/project-slug'], a['gitlab.com/project-slug']]) {
        if (slug) this.byRepo.set(slug.toLowerCase(), ref);
      }
      const loc = a['backstage.io/source-location'];
      const fromLoc = loc ? slugFromSourceLocation(loc) : undefined;
      if (fromLoc && !this.byRepo.has(fromLoc)) this.byRepo.set(fromLoc, ref);
      this.byName.set(e.metadata.name.toLowerCase(), ref);
      const svc = a['portal.acme.example/service-name'];
      if (svc) this.byName.set(svc.toLowerCase(), ref);
    }
  }

  resolve(target: EventTarget): Attributed {
    let componentRef: string | undefined;
    if (target.component && this.owners.has(target.component.toLowerCase())) componentRef = target.component.toLowerCase();
    else if (target.repo) componentRef = this.byRepo.get(target.repo.toLowerCase());
    if (!componentRef && target.service) componentRef = this.byName.get(target.service.toLowerCase());
    if (componentRef) return { subject: componentRef, componentRef, teamRef: this.owners.get(componentRef) };
    if (target.component) return { subject: target.component.toLowerCase() };
    if (target.repo) return { subject: `repo:${target.repo.toLowerCase()}` };
    return { subject: `service:${(target.service ?? 'unknown').toLowerCase()}` };
  }

  get size() {
    return this.owners.size;
  }
}

/**
 * Attribution from the catalog: every Component (name, namespace, annotations, owner) read with the
 * plugin's own credentials, kept for `ttlMs`, re-read sooner (at most every `missRefreshMs`) when an
 * event names something the index does not know, so a component registered a minute ago is found.
 * The owner recorded is the owner when the event was processed, which is right after it arrived.
 */
export class CatalogAttribution implements Attribution {
  private index?: { at: number; value: ComponentIndex };
  private loading?: Promise<ComponentIndex>;

  constructor(
    private readonly deps: { catalog: CatalogService; auth: AuthService; logger?: LoggerService },
    private readonly options = { ttlMs: 5 * 60_000, missRefreshMs: 15_000 },
  ) {}

  async resolve(target: EventTarget): Promise<Attributed> {
    let index = await this.current(this.options.ttlMs);
    let result = index.resolve(target);
    if (!result.componentRef && Date.now() - this.index!.at > this.options.missRefreshMs) {
      index = await this.current(this.options.missRefreshMs);
      result = index.resolve(target);
    }
    return result;
  }

  private async current(maxAgeMs: number): Promise<ComponentIndex> {
    if (this.index && Date.now() - this.index.at <= maxAgeMs) return this.index.value;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<ComponentIndex> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: { kind: 'Component' },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.annotations', 'spec.owner'],
      },
      { credentials },
    );
    const value = new ComponentIndex(items);
    this.index = { at: Date.now(), value };
    this.deps.logger?.debug(`attribution index: ${value.size} components`);
    return value;
  }
}

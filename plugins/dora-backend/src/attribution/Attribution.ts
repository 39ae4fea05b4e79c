import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Attributed } from '../store/rows';

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

/**
 * A repository slug from a source-location annotation: url:https://host/owner/repo/tree/main/ ->
 * owner/repo. What `/^url:https?:\/\/[^/]+\/(.+?)(?:\/-)?\/(?:tree|blob|src)\/.*$/` and then
 * `/^url:https?:\/\/[^/]+\/([^?#]+?)\/?(?:\.git)?$/` found, by string searches that are linear in
 * the annotation's length (catalog text is written by anyone who can register an entity).
 */
export function slugFromSourceLocation(location: string): string | undefined {
  const slug = repositoryPath(location);
  return slug === undefined
    ? undefined
    : (slug.endsWith('.git') ? slug.slice(0, -4) : slug).toLowerCase();
}

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

function repositoryPath(location: string): string | undefined {
  let scheme = -1;
  if (location.startsWith('url:https://')) scheme = 12;
  else if (location.startsWith('url:http://')) scheme = 11;
  if (scheme < 0) return undefined;
  // the host: at least one character, up to the next /
  const slash = location.indexOf('/', scheme);
  if (slash <= scheme) return undefined;
  const rest = location.slice(slash + 1);
  // a tree, blob or src URL: the path before the first /tree/, /blob/ or /src/ (GitLab's /-/ before it dropped)
  if (!LINE_TERMINATOR.test(rest)) {
    let cut = -1;
    for (const kind of ['/tree/', '/blob/', '/src/']) {
      const at = rest.indexOf(kind, 1);
      if (at > 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut > 0)
      return cut >= 3 && rest.startsWith('/-', cut - 2) && cut - 2 >= 1
        ? rest.slice(0, cut - 2)
        : rest.slice(0, cut);
  }
  // else the repository URL itself: no query or fragment, without a trailing / or .git
  if (rest.includes('?') || rest.includes('#')) return undefined;
  for (const suffix of ['/.git', '.git', '/']) {
    if (rest.length > suffix.length && rest.endsWith(suffix))
      return rest.slice(0, -suffix.length);
  }
  return rest.length ? rest : undefined;
}

/**
 * The annotations that name a component's repository (owner/name) on a forge. Backstage's Gitea
 * modules (scaffolder publish:gitea, the catalog's Gitea provider) define no annotation of their
 * own, so Gitea and Forgejo repositories use gitea.com/project-slug, after GitHub's and GitLab's.
 */
export const PROJECT_SLUG_ANNOTATIONS = [
  'github.com/project-slug',
  'gitlab.com/project-slug',
  'gitea.com/project-slug',
] as const;

/** The index attribution reads: repository slug and service name to component, component to owner. */
export class ComponentIndex {
  private readonly byRepo = new Map<string, string>();
  private readonly byName = new Map<string, string>();
  private readonly owners = new Map<string, string | undefined>();

  constructor(components: Entity[]) {
    for (const e of components) {
      const ref = stringifyEntityRef(e);
      const owner =
        typeof e.spec?.owner === 'string'
          ? stringifyEntityRef(
              parseEntityRef(e.spec.owner, {
                defaultKind: 'group',
                defaultNamespace: e.metadata.namespace ?? 'default',
              }),
            )
          : undefined;
      this.owners.set(ref, owner);
      const a = e.metadata.annotations ?? {};
      for (const key of PROJECT_SLUG_ANNOTATIONS) {
        const slug = a[key];
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
    if (target.component && this.owners.has(target.component.toLowerCase()))
      componentRef = target.component.toLowerCase();
    else if (target.repo)
      componentRef = this.byRepo.get(target.repo.toLowerCase());
    if (!componentRef && target.service)
      componentRef = this.byName.get(target.service.toLowerCase());
    if (componentRef)
      return {
        subject: componentRef,
        componentRef,
        teamRef: this.owners.get(componentRef),
      };
    if (target.component) return { subject: target.component.toLowerCase() };
    if (target.repo) return { subject: `repo:${target.repo.toLowerCase()}` };
    return {
      subject: `service:${(target.service ?? 'unknown').toLowerCase()}`,
    };
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
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      logger?: LoggerService;
    },
    private readonly options = { ttlMs: 5 * 60_000, missRefreshMs: 15_000 },
  ) {}

  async resolve(target: EventTarget): Promise<Attributed> {
    let index = await this.current(this.options.ttlMs);
    let result = index.resolve(target);
    if (
      !result.componentRef &&
      Date.now() - this.index!.at > this.options.missRefreshMs
    ) {
      index = await this.current(this.options.missRefreshMs);
      result = index.resolve(target);
    }
    return result;
  }

  private async current(maxAgeMs: number): Promise<ComponentIndex> {
    if (this.index && Date.now() - this.index.at <= maxAgeMs)
      return this.index.value;
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
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
          'spec.owner',
        ],
      },
      { credentials },
    );
    const value = new ComponentIndex(items);
    this.index = { at: Date.now(), value };
    this.deps.logger?.debug(`attribution index: ${value.size} components`);
    return value;
  }
}

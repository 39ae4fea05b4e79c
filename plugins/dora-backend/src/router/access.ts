import {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { Request } from 'express';

export type Credentials = BackstageCredentials<
  BackstageUserPrincipal | BackstageServicePrincipal
>;

/** Who may do what: identity only ever from Backstage credentials. */
export interface Access {
  /** A user's or service's credentials, when `permission` is allowed to them; else a 401 or 403. */
  authorize(req: Request, permission: BasicPermission): Promise<Credentials>;
  /** The same decision for credentials already established (an action's caller); else a 401 or 403. */
  authorizeCredentials(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<Credentials>;
  /** A user only gets numbers about entities the catalog lets them see (404 otherwise). */
  visible(credentials: Credentials, entityRef: string): Promise<void>;
  /**
   * visible's decision for several entities in one catalog request: those the caller may not see
   * (not in the catalog, or hidden from them), each with the error visible throws for it.
   */
  notVisible(
    credentials: Credentials,
    entityRefs: string[],
  ): Promise<Map<string, NotFoundError>>;
  /** Records a successful action in the audit log. */
  audit(
    eventId: string,
    req: Request,
    meta: { [key: string]: string | number | boolean | undefined },
    severityLevel?: 'low' | 'medium',
  ): Promise<void>;
}

const notFound = (entity: string) =>
  new NotFoundError(
    `entity: ${entity} is not in the catalog, or you may not see it`,
  );

export function createAccess(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor?: AuditorService;
}): Access {
  const { httpAuth, permissions, catalog, auditor } = deps;
  const authorizeCredentials = async (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<Credentials> => {
    const { type } = credentials.principal as { type: string };
    if (type !== 'user' && type !== 'service')
      throw new AuthenticationError(`${type} credentials are not allowed`);
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW)
      throw new NotAllowedError(`${permission.name} is not allowed`);
    return credentials as Credentials;
  };
  return {
    async authorize(req, permission) {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      return authorizeCredentials(credentials, permission);
    },
    authorizeCredentials,
    async visible(credentials, entity) {
      if (entity === 'org' || credentials.principal.type !== 'user') return;
      if (!(await catalog.getEntityByRef(entity, { credentials })))
        throw notFound(entity);
    },
    async notVisible(credentials, entityRefs) {
      const hidden = new Map<string, NotFoundError>();
      const refs = [...new Set(entityRefs.filter(ref => ref !== 'org'))];
      if (credentials.principal.type !== 'user' || !refs.length) return hidden;
      // the same read as getEntityByRef's, with the caller's credentials: null where not allowed
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      refs.forEach((ref, i) => {
        if (!items[i]) hidden.set(ref, notFound(ref));
      });
      return hidden;
    },
    async audit(eventId, req, meta, severityLevel = 'low') {
      if (!auditor) return;
      const event = await auditor.createEvent({
        eventId,
        severityLevel,
        request: req,
        meta,
      });
      await event.success();
    },
  };
}

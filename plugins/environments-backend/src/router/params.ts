import { InputError } from '@backstage/errors';
import { fieldName } from '@internal/plugin-platform-node';
import { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import { PagedList } from '../limits';
import { encodeKeyset, parseKeyset, parseLimit } from './paging';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A router whose path ids (`:id`, `:runId`) are UUIDs; anything else is a 400 naming the
 * parameter (and never reaches the database).
 */
export function routerWithIds() {
  const router = Router();
  for (const param of ['id', 'runId']) {
    router.param(
      param,
      (_req: Request, _res: Response, next: NextFunction, value: string) => {
        next(
          UUID.test(value)
            ? undefined
            : new InputError(
                `${param}: must be an id this API gave out (a UUID)`,
              ),
        );
      },
    );
  }
  return router;
}

/** The query parameters a list takes; any other is a 400 naming it. */
export function checkQuery(req: Request, allowed: string[]) {
  for (const key of Object.keys(req.query)) {
    if (!allowed.includes(key)) {
      throw new InputError(
        `${fieldName([
          key,
        ])}: is not a query parameter of this list (it takes: ${allowed.join(
          ', ',
        )})`,
      );
    }
  }
}

/** `limit` and `cursor` of a list ordered newest first by (createdAt, id). */
export const keysetPage = (list: PagedList, req: Request) => ({
  limit: parseLimit(list, req.query.limit),
  cursor: parseKeyset(req.query.cursor),
});

/** The cursor after an item of a list ordered by (createdAt, id). */
export const byTime = (r: { createdAt: Date; id: string }) =>
  encodeKeyset({ at: r.createdAt.getTime(), id: r.id });

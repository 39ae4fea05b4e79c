import { CustomErrorBase } from '@backstage/errors';
import { MAX_BODY } from './limits';

/** A request body that could not be read, with the HTTP status body-parser chose (400, 413, 415). */
export class BodyError extends CustomErrorBase {
  name = 'InputError' as const;
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

/**
 * Turns body-parser's errors (which name no field and may quote the body) into a 4xx that names
 * the body and the rule; any other error is returned as it is.
 */
export function bodyError(err: unknown): unknown {
  const e = err as { type?: unknown; status?: unknown };
  if (!e || typeof e.type !== 'string' || typeof e.status !== 'number') return err;
  switch (e.type) {
    case 'entity.parse.failed':
      return new BodyError('body: must be a JSON object', 400);
    case 'entity.too.large':
      return new BodyError(`body: must be at most ${MAX_BODY}`, 413);
    case 'encoding.unsupported':
      return new BodyError('body: content-encoding must be identity, gzip or deflate', 415);
    case 'charset.unsupported':
      return new BodyError('body: charset must be utf-8', 415);
    case 'request.size.invalid':
    case 'request.aborted':
      return new BodyError('body: was not received whole', 400);
    default:
      return e.status >= 400 && e.status < 500 ? new BodyError(`body: could not be read (${e.type})`, e.status) : err;
  }
}

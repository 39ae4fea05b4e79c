import { CustomErrorBase } from '@backstage/errors';
import { MAX_BODY } from '../limits';

/** A request body that could not be read, with the HTTP status body-parser chose (400, 413, 415). */
export class BodyError extends CustomErrorBase {
  name = 'InputError' as const;
  constructor(message: string, readonly statusCode: number) {
    super(message);
  }
}

/**
 * Turns body-parser's errors (which name no field and may quote the body) into a 4xx that names
 * the body and the rule; any other error is returned as it is.
 */
export function bodyError(err: unknown): unknown {
  const e = err as {
    type?: unknown;
    status?: unknown;
    expose?: unknown;
    message?: unknown;
  };
  if (!e || typeof e.status !== 'number') return err;
  // express could not decode a path parameter (invalid percent-encoding)
  if (
    e.status === 400 &&
    typeof e.message === 'string' &&
    e.message.startsWith('Failed to decode param')
  ) {
    return new BodyError('path: must be percent-encoded UTF-8', 400);
  }
  // body-parser's other errors (a stream that does not inflate, ...) carry no type
  if (typeof e.type !== 'string') {
    return e.expose === true && e.status >= 400 && e.status < 500
      ? new BodyError(
          'body: could not be read as sent (check its content-encoding)',
          e.status,
        )
      : err;
  }
  switch (e.type) {
    case 'entity.parse.failed':
      return new BodyError('body: must be a JSON object', 400);
    case 'entity.too.large':
      return new BodyError(`body: must be at most ${MAX_BODY}`, 413);
    case 'encoding.unsupported':
      return new BodyError(
        'body: content-encoding must be identity, gzip or deflate',
        415,
      );
    case 'charset.unsupported':
      return new BodyError('body: charset must be utf-8', 415);
    case 'request.size.invalid':
    case 'request.aborted':
      return new BodyError('body: was not received whole', 400);
    default:
      return e.status >= 400 && e.status < 500
        ? new BodyError(`body: could not be read (${e.type})`, e.status)
        : err;
  }
}

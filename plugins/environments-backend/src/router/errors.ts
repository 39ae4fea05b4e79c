import { NextFunction, Request, Response } from 'express';
import { TooManyRequestsError } from '../service/RefusalRateLimit';
import { bodyError } from './bodyErrors';

/**
 * The API's own error handling, before Backstage's: unreadable bodies name the body (bodyError),
 * and a refusal over the rate limit says when to try again (Retry-After).
 */
export function apiErrors(
  err: unknown,
  _req: Request,
  res: Response,
  next: NextFunction,
) {
  if (err instanceof TooManyRequestsError)
    res.set('Retry-After', String(err.retryAfterSeconds));
  next(bodyError(err));
}

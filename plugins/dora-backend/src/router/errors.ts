import { NextFunction, Request, Response } from 'express';
import { clip } from '../ingest/text';
import { header } from './params';

/** An error with the HTTP status and message a client is given (the Backstage error body shape). */
export class HttpError extends Error {
  constructor(readonly status: number, name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The status, name and message of a body parser's refusal or an HttpError; undefined for anything else. */
function describe(
  err: any,
  req: Request,
  maxPayloadBytes: number,
): { status: number; name: string; message: string } | undefined {
  const name = 'InputError';
  if (err instanceof HttpError)
    return { status: err.status, name: err.name, message: err.message };
  if (err?.type === 'entity.too.large')
    return {
      status: 413,
      name: 'PayloadTooLargeError',
      message: `body: must be at most ${maxPayloadBytes} bytes (dora.maxPayloadBytes); this one is ${
        err.length ?? 'larger'
      }`,
    };
  if (err?.type === 'entity.parse.failed')
    return {
      status: 400,
      name,
      message: `body: must be valid JSON (${err.message})`,
    };
  if (
    err?.type === 'encoding.unsupported' ||
    err?.type === 'charset.unsupported'
  )
    return {
      status: 415,
      name: 'UnsupportedMediaTypeError',
      message: `body: ${err.message}`,
    };
  if (typeof err?.code === 'string' && err.code.startsWith('Z_'))
    // the body parser's inflate (gzip, deflate, br) failed on the bytes sent
    return {
      status: 400,
      name,
      message: `Content-Encoding: the body is not valid ${clip(
        header(req, 'content-encoding'),
      )} data (${err.code})`,
    };
  if (
    typeof err?.type === 'string' &&
    typeof err?.status === 'number' &&
    err.status >= 400 &&
    err.status < 500
  )
    // any other refusal of the body parser (aborted, a wrong length...)
    return { status: err.status, name, message: `body: ${err.message}` };
  return undefined;
}

/**
 * Body parser errors and the routers' own HTTP errors, as Backstage error bodies with a clear
 * message; anything else goes on to Backstage's error handler.
 */
export function errorHandler(maxPayloadBytes: number) {
  return (err: any, req: Request, res: Response, next: NextFunction) => {
    const e = describe(err, req, maxPayloadBytes);
    if (!e) {
      next(err);
      return;
    }
    res.status(e.status).json({
      error: { name: e.name, message: e.message },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: e.status },
    });
  };
}

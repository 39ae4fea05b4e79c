import { LoggerService } from '@backstage/backend-plugin-api';
import {
  MiddlewareFactory,
  rootHttpRouterServiceFactory,
} from '@backstage/backend-defaults/rootHttpRouter';
import { JsonObject } from '@backstage/types';
import express from 'express';

/**
 * A logger that writes an access-log line at debug when the request succeeded (status below 400),
 * and at info otherwise: the line is the same, only its level changes.
 */
export function successAtDebug(logger: LoggerService): LoggerService {
  return {
    info(message: string, meta?: JsonObject | Error) {
      const status = meta && !(meta instanceof Error) ? meta.status : undefined;
      if (typeof status === 'number' && status < 400)
        logger.debug(message, meta);
      else logger.info(message, meta);
    },
    debug: (message, meta) => logger.debug(message, meta),
    warn: (message, meta) => logger.warn(message, meta),
    error: (message, meta) => logger.error(message, meta),
    child: meta => successAtDebug(logger.child(meta)),
  };
}

/**
 * The portal's root HTTP router: Backstage's defaults, except for requests under `webhookPaths`
 * (deliveries that machines such as GitHub send, each stored by the plugin that receives it, with
 * a small JSON answer). Those go through the same chain of helmet, CORS, rate limiting, the plugin
 * routes and the error handler, with two differences:
 *  - no compression: the answer is a few dozen bytes, and the compression middleware only costs
 *    time on it;
 *  - an accepted delivery's access-log line is written at debug, not info, because the plugin's own
 *    delivery record (source, id, time, body, status) already keeps it. A rejected one (status 400
 *    or more) is logged at info as before.
 * Everything else gets exactly Backstage's `applyDefaults()`.
 */
export function webhookRootHttpRouterServiceFactory(options: {
  webhookPaths: string[];
}) {
  const { webhookPaths } = options;
  return rootHttpRouterServiceFactory({
    configure({ app, routes, middleware, config, logger, applyDefaults }) {
      const quiet = MiddlewareFactory.create({
        config,
        logger: successAtDebug(logger),
      });
      const webhooks = express.Router();
      webhooks.use(
        middleware.helmet(),
        middleware.cors(),
        quiet.logging(),
        middleware.rateLimit(),
        routes,
        middleware.notFound(),
        middleware.error(),
      );
      app.use((req, res, next) =>
        webhookPaths.some(p => req.url.startsWith(p))
          ? webhooks(req, res, next)
          : next(),
      );
      applyDefaults();
    },
  });
}

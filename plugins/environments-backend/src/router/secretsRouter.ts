import { environmentSecretsReadPermission } from '@internal/plugin-environments-common';
import { Access } from './access';
import { routerWithIds } from './params';
import { RouterOptions } from './RouterOptions';

/**
 * GET /environments/:id/secrets: the only route that decrypts an environment's secret outputs,
 * for whoever may read them (`environments.environment.secrets.read`: its owners, the platform).
 */
export function secretsRouter(options: RouterOptions) {
  const { store } = options;
  const access = new Access(options);
  const router = routerWithIds();
  router.get('/environments/:id/secrets', async (req, res) => {
    await access.authorize(
      req,
      environmentSecretsReadPermission,
      req.params.id,
    );
    res.json({ secrets: await store.secrets.outputs(req.params.id) });
  });
  return router;
}

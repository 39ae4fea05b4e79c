import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './templateRun.examples';

/**
 * `dora:template-run:record`: tells the DORA plugin, as soon as the golden path has registered the
 * new component, which template created it, for which team and when (POST /api/dora/template-runs,
 * with this plugin's own service credentials). Template adoption and time to first deploy then
 * count the service from its first production deployment, instead of after the next scaffolder
 * sync (every 15 minutes). Recording the same task again changes nothing (keyed by the task id).
 */
export function createTemplateRunAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const { discovery, auth } = options;
  return createTemplateAction({
    id: 'dora:template-run:record',
    description:
      'Records this template run in DORA (template adoption and time to first deploy) as soon as its component is registered.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        componentRef: z =>
          z
            .string()
            .describe('The registered component, component:<ns>/<name>'),
        teamRef: z =>
          z.string().optional().describe('The owner team, group:<ns>/<name>'),
      },
      output: { taskId: z => z.string() },
    },
    async handler(ctx) {
      const { componentRef, teamRef } = ctx.input;
      const templateRef = ctx.templateInfo?.entityRef;
      if (!templateRef)
        throw new Error('this task names no template (templateInfo.entityRef)');
      const run = {
        taskId: ctx.task.id,
        templateRef,
        ...(ctx.user?.ref ? { createdBy: ctx.user.ref } : {}),
        ...(teamRef ? { teamRef } : {}),
        status: 'completed',
        componentRef,
        createdAt: new Date().toISOString(),
      };
      if (ctx.isDryRun) {
        ctx.logger.info(
          `dry run: would record ${templateRef} creating ${componentRef} in DORA`,
        );
        ctx.output('taskId', run.taskId);
        return;
      }
      const base = await discovery.getBaseUrl('dora');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'dora',
      });
      const res = await fetch(`${base}/template-runs`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(run),
      });
      if (!res.ok) {
        const error = await ResponseError.fromResponse(res);
        throw new Error(
          `DORA refused the template run (${res.status}): ${
            error.body?.error?.message ?? error.message
          }`,
        );
      }
      ctx.logger.info(
        `recorded in DORA: ${templateRef} created ${componentRef} (task ${run.taskId})`,
      );
      ctx.output('taskId', run.taskId);
    },
  });
}

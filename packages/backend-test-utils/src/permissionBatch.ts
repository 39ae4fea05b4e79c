/*
 * The batch of 100 permission decisions the benchmarks send to POST /api/permission/authorize
 * (bench/permissions.sh, and the scale benchmark's permission batch): 20 basic permissions of
 * the portal's plugins, five times over.
 */
// Basic permissions only (the batch has no resource refs). scaffolder.task.read and .cancel and
// environments.request.approve became resource permissions (conditional on the task's creator and
// the requester) in the security hardening; dora's basic permissions took their places.
const names = [
  'catalog.entity.create',
  'catalog.location.read',
  'catalog.location.create',
  'catalog.location.delete',
  'scaffolder.task.create',
  'dora.metrics.read',
  'dora.deliveries.read',
  'scaffolder.template.management',
  'environments.environment.create',
  'catalog.location.analyze',
  'catalog.entity.validate',
  'dora.deliveries.retry',
  'kubernetes.proxy',
  'search.query.read',
  'techdocs.entity.read',
  'notifications.send',
  'catalog.ingestion.read',
  'scaffolder.template.dry-run',
  'signals.read',
  'app.settings.read',
];
const actionOf = (n: string) =>
  ['read', 'create', 'delete'].find(action => n.endsWith(`.${action}`));
export const permissionBatch = {
  items: Array.from({ length: 100 }, (_, i) => {
    const name = names[i % names.length];
    const action = actionOf(name);
    return {
      id: String(i),
      permission: { type: 'basic', name, attributes: action ? { action } : {} },
    };
  }),
};

import { createPermission } from '@backstage/plugin-permission-common';

/** Read DORA metrics, their drill-down rows and the platform metrics. */
export const doraMetricsReadPermission = createPermission({
  name: 'dora.metrics.read',
  attributes: { action: 'read' },
});

/** See the raw deliveries the webhooks received, with their processing status. */
export const doraDeliveriesReadPermission = createPermission({
  name: 'dora.deliveries.read',
  attributes: { action: 'read' },
});

/** Send a stored delivery through normalisation again. */
export const doraDeliveriesRetryPermission = createPermission({
  name: 'dora.deliveries.retry',
  attributes: { action: 'update' },
});

export const doraPermissions = [
  doraMetricsReadPermission,
  doraDeliveriesReadPermission,
  doraDeliveriesRetryPermission,
];

import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { EnvironmentsConfig } from '../config';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { auditStateChanges } from './auditStateChanges';
import { notifyApprovals } from './notifyApprovals';
import { publishSignals } from './publishSignals';

/**
 * What follows every committed change of this replica's store: the audit log, the approval
 * notifications, and the signals that keep open pages live. Returns the unsubscriber.
 */
export function listenToChanges(deps: {
  store: EnvironmentStore;
  auditor: AuditorService;
  notifications: NotificationService;
  signals: SignalsService;
  logger: LoggerService;
  config: Pick<EnvironmentsConfig, 'approvals'>;
}): () => void {
  const { store, logger } = deps;
  const stops = [
    auditStateChanges(store, deps.auditor, logger),
    notifyApprovals(store, deps.notifications, logger, deps.config.approvals),
    publishSignals(store, deps.signals, logger),
  ];
  return () => stops.forEach(stop => stop());
}

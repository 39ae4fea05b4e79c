import { ChangeLinkMethod } from '@internal/plugin-dora-common';
import type {
  ChangeRow,
  DeploymentRow,
  IncidentRow,
  LinkResult,
} from '../store/rows';

export interface LinkOptions {
  /** How far before a subject's first production deployment its changes are still linked to it. */
  firstDeploymentLookbackMs: number;
  /** How long before an incident a deployment may be guessed as its cause (low confidence). */
  incidentWindowMs: number;
}

export const DEFAULT_LINK_OPTIONS: LinkOptions = {
  firstDeploymentLookbackMs: 30 * 24 * 3600_000,
  incidentWindowMs: 24 * 3600_000,
};

/**
 * Links one subject's (component's) rows, from scratch, so that the result does not depend on the
 * order events arrived in. Only successful production deployments ("counted") take part, in
 * deployment order.
 *
 * Changes: deployment i ships the changes that landed on the default branch after the cut-off of
 * deployment i-1 and up to its own cut-off. The cut-off is when the deployed sha landed (or, if the
 * sha is not a known change, the deployment time), never earlier than the previous cut-off. So a
 * change merged between two deployments goes with the next one (never lost), and is linked once.
 * The first deployment takes the changes of the look-back before its cut-off (older ones are
 * history from before the subject was measured, and would give huge lead times). A deployment of a
 * sha that an earlier production deployment already shipped (and that is not what runs now), or one
 * the source calls a rollback, ships nothing new.
 *
 * Rework: a rollback; a deployment that ships a revert; a hotfix (ref, description or a shipped
 * change says hotfix); or a deployment that names the incident it answers. A rollback also marks the
 * deployment it replaced as failed ("rolled-back"), recovered when the rollback was deployed.
 *
 * Incidents: by explicit reference to a deployment (id, or the source's id after the last ':'), else
 * by root-cause sha (the deployment of that sha, or the one that shipped that change), else the
 * latest deployment in the window before the incident started (low confidence). A deployment with an
 * incident is failed ("incident"); the incident's own times are its recovery.
 */
export function linkSubject(
  rows: {
    deployments: DeploymentRow[];
    changes: ChangeRow[];
    incidents: IncidentRow[];
  },
  options: LinkOptions = DEFAULT_LINK_OPTIONS,
): LinkResult {
  const deployments = rows.deployments
    .filter(d => d.counted)
    .sort((a, b) => a.deployedAt - b.deployedAt || a.id.localeCompare(b.id));
  const changes = [...rows.changes].sort(
    (a, b) => a.landedAt - b.landedAt || a.id.localeCompare(b.id),
  );
  const changeBySha = new Map(changes.map(c => [c.sha, c]));
  const result: LinkResult = { changeLinks: [], incidentLinks: [], flags: [] };
  const flags = new Map<string, LinkResult['flags'][number]>();
  const flag = (id: string) => {
    let f = flags.get(id);
    if (!f) flags.set(id, (f = { deploymentId: id }));
    return f;
  };
  const linked = new Set<string>();
  const shippedBy = new Map<string, string>(); // change id -> deployment id
  const seenShas = new Set<string>();
  let cutoff = -Infinity;
  let next = 0;
  let current: DeploymentRow | undefined;

  deployments.forEach(d => {
    const rollback =
      d.rollback || (!!d.sha && seenShas.has(d.sha) && d.sha !== current?.sha);
    const shipped: ChangeRow[] = [];
    if (rollback) {
      flag(d.id).rework = 'rollback';
      if (current) {
        const f = flag(current.id);
        f.failure = 'rolled-back';
        f.recoveredAt = d.deployedAt;
        f.rolledBackBy = d.id;
      }
    } else {
      const own = d.sha ? changeBySha.get(d.sha) : undefined;
      const first = cutoff === -Infinity;
      const upTo = Math.max(cutoff, own ? own.landedAt : d.deployedAt);
      const from = first ? upTo - options.firstDeploymentLookbackMs : cutoff;
      // changes are in landing order: walk them once across all deployments
      const link = (c: ChangeRow) => {
        linked.add(c.id);
        shippedBy.set(c.id, d.id);
        shipped.push(c);
        let linkedBy: ChangeLinkMethod = 'between-deployments';
        if (c === own) linkedBy = 'deployed-sha';
        else if (first) linkedBy = 'first-deployment';
        else if (c.pullRequest !== undefined) linkedBy = 'pull-request-merge';
        result.changeLinks.push({
          deploymentId: d.id,
          changeId: c.id,
          linkedBy,
          leadTimeMs: Math.max(0, d.deployedAt - c.committedAt),
        });
      };
      for (; next < changes.length && changes[next].landedAt <= upTo; next++) {
        const c = changes[next];
        if (c.landedAt > from && !linked.has(c.id)) link(c);
      }
      // the deployed sha itself, when it landed before the previous cut-off and was not shipped yet
      if (own && !linked.has(own.id)) link(own);
      cutoff = upTo;
      if (shipped.some(c => c.revert)) flag(d.id).rework = 'revert';
      else if (
        [d.ref, d.description].some(t => t && /\bhot-?fix\b/i.test(t)) ||
        shipped.some(c => c.hotfix)
      )
        flag(d.id).rework = 'hotfix';
      else if (d.incidentRef) flag(d.id).rework = 'incident';
    }
    if (d.sha) seenShas.add(d.sha);
    current = d;
  });

  for (const i of rows.incidents) {
    let link: LinkResult['incidentLinks'][number] | undefined;
    if (i.deploymentRef) {
      const ref = i.deploymentRef;
      const d = deployments.find(x => x.id === ref || x.id.endsWith(`:${ref}`));
      if (d)
        link = {
          incidentId: i.id,
          deploymentId: d.id,
          linkedBy: 'explicit-reference',
          confidence: 'high',
        };
    }
    if (!link && i.rootCauseSha) {
      const sha = i.rootCauseSha;
      const d =
        deployments.find(x => x.sha?.startsWith(sha)) ??
        deployments.find(
          x =>
            x.id ===
            shippedBy.get(changes.find(c => c.sha.startsWith(sha))?.id ?? ''),
        );
      if (d)
        link = {
          incidentId: i.id,
          deploymentId: d.id,
          linkedBy: 'root-cause-sha',
          confidence: 'high',
        };
    }
    if (!link) {
      const candidates = deployments.filter(
        d =>
          d.deployedAt <= i.startedAt &&
          d.deployedAt >= i.startedAt - options.incidentWindowMs,
      );
      const d = candidates[candidates.length - 1];
      if (d)
        link = {
          incidentId: i.id,
          deploymentId: d.id,
          linkedBy: 'time-window',
          confidence: 'low',
        };
    }
    if (link) {
      result.incidentLinks.push(link);
      const f = flag(link.deploymentId);
      f.failure = 'incident';
      f.recoveredAt = undefined;
      f.rolledBackBy = f.rolledBackBy ?? undefined;
    }
  }
  result.flags = [...flags.values()];
  return result;
}

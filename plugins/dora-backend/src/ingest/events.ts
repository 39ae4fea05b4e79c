/**
 * What every source's payload is normalised into, before attribution and storage. Times are epoch
 * milliseconds.
 */

export interface DeploymentEvent {
  kind: 'deployment';
  /** Unique within the source (GitHub deployment id, GitLab deployment id, CDEvent id, CI's id). */
  externalId: string;
  repo?: string;
  service?: string;
  /** An explicit component entity ref (JSON API only). */
  component?: string;
  environment: string;
  /** What the source said (GitHub production_environment, GitLab environment_tier); else decided by name. */
  production?: boolean;
  status: 'success' | 'failure' | 'pending';
  sha?: string;
  ref?: string;
  description?: string;
  at: number;
  url?: string;
  rollback?: boolean;
  incidentRef?: string;
}

export interface ChangeEvent {
  kind: 'change';
  repo: string;
  sha: string;
  committedAt: number;
  landedAt: number;
  pullRequest?: number;
  title?: string;
  service?: string;
  component?: string;
}

export interface IncidentEvent {
  kind: 'incident';
  externalId: string;
  repo?: string;
  service?: string;
  component?: string;
  title?: string;
  startedAt: number;
  /** A time when resolved, null when (re)opened, undefined when the event does not say. */
  resolvedAt?: number | null;
  deploymentRef?: string;
  rootCauseSha?: string;
  url?: string;
}

export type NormalizedEvent = DeploymentEvent | ChangeEvent | IncidentEvent;

/** The outcome of normalising one delivery. */
export type Normalized = { events: NormalizedEvent[] } | { ignored: string };

/** What a normaliser may know about the source it came from. */
export interface SourceOptions {
  /** Issue labels that make an issue an incident (GitHub, GitLab). */
  incidentLabels: string[];
}

/** An ISO 8601 time (or GitLab's "2026-01-02 10:00:00 UTC", or epoch seconds) in epoch ms. */
export function parseTime(value: unknown, field: string): number {
  if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string') {
    const s = value.replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/, '$1T$2Z').replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/, '$1T$2$3:$4');
    const t = Date.parse(s);
    if (!Number.isNaN(t)) return t;
  }
  throw new Error(`${field}: must be a time, got ${JSON.stringify(value)}`);
}

export function optionalTime(value: unknown, field: string): number | undefined {
  return value === null || value === undefined || value === '' ? undefined : parseTime(value, field);
}

/** A commit that reverts another (git's own message, or GitHub's "Revert" pull request title). */
export function isRevert(text?: string): boolean {
  return !!text && (/^Revert\b/i.test(text.trim()) || /This reverts commit [0-9a-f]{7,40}/.test(text));
}

export function isHotfix(text?: string): boolean {
  return !!text && /\bhot-?fix\b/i.test(text);
}

/** "Deployment: <id>" and "Root-cause: <sha>" lines in an incident's text. */
export function incidentReferences(text?: string | null): { deploymentRef?: string; rootCauseSha?: string } {
  if (!text) return {};
  const deployment = /^\s*(?:caused-by-)?deployment:\s*(\S+)\s*$/im.exec(text)?.[1];
  const sha = /^\s*root[- ]cause:\s*([0-9a-f]{7,40})\b/im.exec(text)?.[1];
  return { deploymentRef: deployment, rootCauseSha: sha };
}

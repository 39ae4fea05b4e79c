import {
  deploymentReference,
  mentionsHotfix,
  mentionsRevertedCommit,
  preview,
  rootCauseReference,
  skipSpaces,
} from './text';

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
  /** Issue labels that make an issue an incident (GitHub, GitLab, Gitea), in any case. */
  incidentLabels: string[];
}

/**
 * Whether an issue's labels carry one of the source's incident labels, without regard to case
 * (`Incident` and `incident` are the same label). `labels` as the payload has them: objects naming
 * the label under `key` (GitHub's and Gitea's `name`, GitLab's `title`) or plain names; anything
 * that is not a name is no label. One pass over the labels.
 */
export function hasIncidentLabel(
  labels: unknown,
  key: 'name' | 'title',
  incidentLabels: string[],
): boolean {
  if (!Array.isArray(labels)) return false;
  const wanted = new Set(incidentLabels.map(l => l.toLowerCase()));
  return labels.some(l => {
    const name = typeof l === 'string' ? l : l?.[key];
    return typeof name === 'string' && wanted.has(name.toLowerCase());
  });
}

/** The longest text read as a time: longer text is not a time, and is refused without being parsed. */
export const MAX_TIME_TEXT = 64;

/** An ISO 8601 time (or GitLab's "2026-01-02 10:00:00 UTC", or epoch seconds) in epoch ms. */
export function parseTime(value: unknown, field: string): number {
  if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string' && value.length <= MAX_TIME_TEXT) {
    // both patterns are anchored and of fixed length, on at most MAX_TIME_TEXT characters
    const s = value
      .replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/, '$1T$2Z')
      .replace(
        /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/,
        '$1T$2$3:$4',
      );
    const t = Date.parse(s);
    if (!Number.isNaN(t)) return t;
  }
  throw new Error(`${field}: must be a time, got ${preview(value)}`);
}

export function optionalTime(
  value: unknown,
  field: string,
): number | undefined {
  return value === null || value === undefined || value === ''
    ? undefined
    : parseTime(value, field);
}

/**
 * Text a normaliser scans (titles, descriptions, issue bodies): a string as it is, anything else
 * (a number, an object in a malformed payload) as nothing, so no scan ever stringifies a structure.
 */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A commit that reverts another (git's own message, or GitHub's "Revert" pull request title). */
export function isRevert(text?: string): boolean {
  if (!text || typeof text !== 'string') return false;
  // /^Revert\b/i on the text without leading whitespace: only its first 7 characters take part
  const start = skipSpaces(text, 0);
  const head = text.slice(start, start + 7);
  return /^Revert\b/i.test(head) || mentionsRevertedCommit(text);
}

/** `/\bhot-?fix\b/i`, by a linear scan. */
export function isHotfix(text?: string): boolean {
  return !!text && typeof text === 'string' && mentionsHotfix(text);
}

/**
 * "Deployment: <id>" and "Root-cause: <sha>" lines in an incident's text (what
 * `/^\s*(?:caused-by-)?deployment:\s*(\S+)\s*$/im` and `/^\s*root[- ]cause:\s*([0-9a-f]{7,40})\b/im`
 * found), read by a line scan that is linear in the text's length.
 */
export function incidentReferences(text?: string | null): {
  deploymentRef?: string;
  rootCauseSha?: string;
} {
  if (!text || typeof text !== 'string') return {};
  return {
    deploymentRef: deploymentReference(text),
    rootCauseSha: rootCauseReference(text),
  };
}

import { Normalized, parseTime } from './events';
import { MAX_ID_LENGTH } from '../limits';
import { trailingSha } from './text';

const TYPE = /^dev\.cdevents\.([a-z]+)\.([a-z]+)\.\d+\.\d+\.\d+/;

/**
 * CDEvents (structured JSON: context + subject) to normalised events: service.deployed,
 * service.upgraded and service.rolledback (a successful deployment of subject.id, the service, to
 * subject.content.environment.id; service.rolledback is a rollback), change.merged (a change of
 * subject.content.repository.id; the sha is customData.sha or the subject id), incident.detected and
 * incident.resolved. customData may carry sha, repo, committedAt, production, incident (a rework
 * deployment's incident) and deployment / rootCauseSha (an incident's cause).
 */
export function normalizeCdevent(body: any): Normalized {
  const raw = body?.context?.type;
  const type: string = typeof raw === 'string' ? raw : '';
  // anchored, and each run is followed by a character outside it: linear; and on at most MAX_ID_LENGTH characters
  const m = type.length <= MAX_ID_LENGTH ? TYPE.exec(type) : null;
  if (!m)
    return {
      ignored: `CDEvent type ${
        type.slice(0, MAX_ID_LENGTH) || '(none)'
      } is not used for DORA metrics`,
    };
  const [, subjectType, predicate] = m;
  const at = parseTime(body.context.timestamp, 'context.timestamp');
  const subject = body.subject ?? {};
  const content = subject.content ?? {};
  const custom =
    typeof body.customData === 'object' && body.customData
      ? body.customData
      : {};
  const key = `${subjectType}.${predicate}`;
  switch (key) {
    case 'service.deployed':
    case 'service.upgraded':
    case 'service.rolledback': {
      if (!subject.id) throw new Error('subject.id: is missing (the service)');
      const environment = content.environment?.id;
      if (!environment)
        throw new Error('subject.content.environment.id: is missing');
      return {
        events: [
          {
            kind: 'deployment',
            externalId: String(body.context.id),
            service: String(subject.id),
            repo: custom.repo,
            environment,
            production:
              typeof custom.production === 'boolean'
                ? custom.production
                : undefined,
            status: 'success',
            sha: custom.sha ?? trailingSha(content.artifactId),
            at,
            rollback: key === 'service.rolledback',
            incidentRef: custom.incident,
          },
        ],
      };
    }
    case 'change.merged': {
      const repo = content.repository?.id ?? custom.repo;
      if (!repo) throw new Error('subject.content.repository.id: is missing');
      const sha =
        custom.sha ??
        (/^[0-9a-f]{7,40}$/.test(subject.id ?? '') ? subject.id : undefined);
      if (!sha)
        throw new Error('customData.sha: is missing (the merged commit)');
      return {
        events: [
          {
            kind: 'change',
            repo,
            sha,
            committedAt: custom.committedAt
              ? parseTime(custom.committedAt, 'customData.committedAt')
              : at,
            landedAt: at,
            title: custom.title,
          },
        ],
      };
    }
    case 'incident.detected':
    case 'incident.resolved': {
      if (!subject.id) throw new Error('subject.id: is missing (the incident)');
      const service = content.service?.id;
      return {
        events: [
          {
            kind: 'incident',
            externalId: String(subject.id),
            service,
            repo: custom.repo,
            title: content.description,
            startedAt: at,
            resolvedAt: predicate === 'resolved' ? at : undefined,
            deploymentRef: custom.deployment,
            rootCauseSha:
              custom.rootCauseSha ?? trailingSha(content.artifactId),
          },
        ],
      };
    }
    default:
      return { ignored: `CDEvent ${key} is not used for DORA metrics` };
  }
}

/*
 * The adversarial webhook bodies of ingest/adversarial.*.test.ts (issue 11, item 3): GitHub issue,
 * pull request, push and deployment bodies, GitLab merge request, issue and deployment bodies, and
 * CDEvents, each with a place that a text built to be a worst case for a pattern the normaliser
 * applies to it fills up: runs of newlines and spaces, `deployment:` and `root-cause:` headers that
 * never end, near misses of hotfix, rollback, Revert and "This reverts commit", long hex runs. For
 * tests only (production code must not import src/__testUtils__/).
 */
import { StoredDelivery } from '../ingest/normalize';

export const T = '2026-03-01T10:00:00Z';

export const githubIssue = (text: string) => ({
  action: 'closed',
  issue: {
    number: 7,
    title: 'Checkout down',
    body: text,
    labels: [{ name: 'incident' }],
    state: 'closed',
    created_at: T,
    closed_at: T,
    html_url: 'https://example/7',
  },
  repository: { full_name: 'acme/payments-api' },
});
export const githubPullRequest = (text: string) => ({
  action: 'closed',
  pull_request: {
    merged: true,
    number: 3,
    title: text,
    merge_commit_sha: 'a'.repeat(40),
    created_at: T,
    merged_at: T,
  },
  repository: { full_name: 'acme/payments-api' },
});
export const githubPush = (text: string) => ({
  ref: 'refs/heads/main',
  repository: {
    full_name: 'acme/payments-api',
    default_branch: 'main',
    pushed_at: T,
  },
  commits: [{ id: 'b'.repeat(40), timestamp: T, message: text }],
});
export const githubDeployment = (text: string) => ({
  deployment: {
    id: 9,
    environment: 'production',
    sha: 'c'.repeat(40),
    ref: 'main',
    description: text,
    created_at: T,
  },
  deployment_status: { state: 'success', created_at: T },
  repository: { full_name: 'acme/payments-api' },
});
export const gitlabMergeRequest = (text: string) => ({
  object_kind: 'merge_request',
  project: { path_with_namespace: 'acme/ui-kit', default_branch: 'main' },
  object_attributes: {
    action: 'merge',
    iid: 4,
    title: text,
    description: text,
    created_at: T,
    merged_at: T,
    merge_commit_sha: 'd'.repeat(40),
  },
});
export const gitlabIncident = (text: string) => ({
  object_kind: 'issue',
  project: { path_with_namespace: 'acme/ui-kit' },
  object_attributes: {
    iid: 5,
    issue_type: 'incident',
    title: 'Down',
    description: text,
    state: 'opened',
    created_at: T,
  },
});
export const gitlabDeployment = (text: string) => ({
  object_kind: 'deployment',
  status: 'success',
  deployment_id: 11,
  environment: 'production',
  sha: 'e'.repeat(40),
  ref: text,
  status_changed_at: '2026-03-01 10:00:00 UTC',
  project: { path_with_namespace: 'acme/ui-kit' },
});
export const cdDeployed = (text: string) => ({
  context: {
    id: 'cd-1',
    source: 'ci',
    type: 'dev.cdevents.service.deployed.0.2.0',
    timestamp: T,
  },
  subject: {
    id: 'checkout-web',
    content: { environment: { id: 'production' }, artifactId: text },
  },
});
export const cdChange = (text: string) => ({
  context: {
    id: 'cd-2',
    source: 'ci',
    type: 'dev.cdevents.change.merged.0.2.0',
    timestamp: T,
  },
  subject: { id: text, content: { repository: { id: 'acme/ui-kit' } } },
  customData: { title: text },
});
export const cdIncident = (text: string) => ({
  context: {
    id: 'cd-3',
    source: 'ci',
    type: 'dev.cdevents.incident.detected.0.2.0',
    timestamp: T,
  },
  subject: {
    id: 'INC-1',
    content: {
      service: { id: 'checkout-web' },
      description: text,
      artifactId: text,
    },
  },
});
export const cdType = (text: string) => ({
  context: {
    id: 'cd-4',
    source: 'ci',
    type: `dev.cdevents.${text}`,
    timestamp: T,
  },
});

/** Text that is a worst case for the `Deployment:` / `Root-cause:` line patterns (and the title patterns). */
export const INCIDENT_TEXTS: [string, string, string?][] = [
  ['newlines', '\n'],
  ['CR LF line ends', '\r\n'],
  ['U+2028 line ends', '\u2028'],
  ['spaces', ' '],
  ['blank lines with spaces', ' \t\n'],
  [
    'a deployment: header followed by spaces that never end in a single token',
    ' ',
    'x y',
  ],
  ['deployment: headers, each followed by two tokens', 'deployment: a b\n'],
  ['deployment: headers with nothing after them', 'Deployment:\n\n'],
  ['caused-by- prefixes without a header', 'caused-by-'],
  [
    'root-cause: headers with a sha of 41 digits',
    'root-cause: abcdef0123456789abcdef0123456789abcdef01\n',
  ],
  ['root cause: headers with spaces and no sha', 'Root cause:   \n'],
  ['a hex run', 'abcdef0123'],
];
export const TITLE_TEXTS: [string, string, string?][] = [
  ['near misses of hotfix', 'hotfi '],
  ['hotfix inside words', 'xhotfixx'],
  ['near misses of hot-fix', 'hot-'],
  ['near misses of "This reverts commit"', 'This reverts commit abcde '],
  ['a Revert prefix after spaces that never end', ' ', 'x'],
  ['near misses of rollback', 'rollbac'],
  ['a hex run', 'abcdef0123'],
  ['newlines', '\n'],
];
const ARTIFACT_TEXTS: [string, string, string?][] = [
  ['separators before short hex runs', ':abcdef@0'],
  ['a hex run without a separator', 'abcdef0123'],
  ['a hex run ending in a non-hex character', '0123456789', 'g'],
];

/** One adversarial body: where the text goes (`make`), the unit repeated, and what ends it. */
export interface AdversarialCase {
  name: string;
  sourceType: StoredDelivery['sourceType'];
  eventType: string;
  make: (t: string) => object;
  unit: string;
  tail?: string;
}

const cases: AdversarialCase[] = [];
for (const [what, unit, tail] of INCIDENT_TEXTS) {
  cases.push({
    name: `GitHub issue body: ${what}`,
    sourceType: 'github',
    eventType: 'issues',
    make: githubIssue,
    unit,
    tail,
  });
  cases.push({
    name: `GitLab incident description: ${what}`,
    sourceType: 'gitlab',
    eventType: 'Issue Hook',
    make: gitlabIncident,
    unit,
    tail,
  });
}
for (const [what, unit, tail] of [
  ...INCIDENT_TEXTS.slice(0, 1),
  ...TITLE_TEXTS,
]) {
  cases.push({
    name: `GitHub pull request title: ${what}`,
    sourceType: 'github',
    eventType: 'pull_request',
    make: githubPullRequest,
    unit,
    tail,
  });
  cases.push({
    name: `GitHub commit message: ${what}`,
    sourceType: 'github',
    eventType: 'push',
    make: githubPush,
    unit,
    tail,
  });
  cases.push({
    name: `GitHub deployment description: ${what}`,
    sourceType: 'github',
    eventType: 'deployment_status',
    make: githubDeployment,
    unit,
    tail,
  });
  cases.push({
    name: `GitLab merge request title and description: ${what}`,
    sourceType: 'gitlab',
    eventType: 'Merge Request Hook',
    make: gitlabMergeRequest,
    unit,
    tail,
  });
  cases.push({
    name: `GitLab deployment ref: ${what}`,
    sourceType: 'gitlab',
    eventType: 'Deployment Hook',
    make: gitlabDeployment,
    unit,
    tail,
  });
  cases.push({
    name: `CDEvent change title and subject: ${what}`,
    sourceType: 'cdevents',
    eventType: 'dev.cdevents.change.merged.0.2.0',
    make: cdChange,
    unit,
    tail,
  });
}
for (const [what, unit, tail] of ARTIFACT_TEXTS) {
  cases.push({
    name: `CDEvent deployment artifact id: ${what}`,
    sourceType: 'cdevents',
    eventType: 'dev.cdevents.service.deployed.0.2.0',
    make: cdDeployed,
    unit,
    tail,
  });
  cases.push({
    name: `CDEvent incident artifact id and description: ${what}`,
    sourceType: 'cdevents',
    eventType: 'dev.cdevents.incident.detected.0.2.0',
    make: cdIncident,
    unit,
    tail,
  });
}
cases.push({
  name: 'CDEvent type: a subject that never ends',
  sourceType: 'cdevents',
  eventType: 'x',
  make: cdType,
  unit: 'a',
});
cases.push({
  name: 'CDEvent type: versions that never end',
  sourceType: 'cdevents',
  eventType: 'x',
  make: cdType,
  unit: '1.',
  tail: 'x',
});

/** The cases whose bodies come from one kind of source, in the order above. */
export const adversarialCases = (sourceType: StoredDelivery['sourceType']) =>
  cases.filter(c => c.sourceType === sourceType);

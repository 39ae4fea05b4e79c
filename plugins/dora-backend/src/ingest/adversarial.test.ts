/*
 * Adversarial input (issue 11, item 3): GitHub issue, pull request, push and deployment bodies,
 * GitLab merge request, issue and deployment bodies, and CDEvents, each filled up to the webhook body
 * limit (DEFAULT_MAX_PAYLOAD_BYTES, dora.maxPayloadBytes' default) with text built to be a worst case
 * for a pattern the normaliser applies to it: runs of newlines and spaces, `deployment:` and
 * `root-cause:` headers that never end, near misses of hotfix, rollback, Revert and "This reverts
 * commit", long hex runs. Each is normalised (JSON.parse, the source's normaliser, and the revert and
 * hotfix flags the processor derives from a change's title) in under 50 ms.
 *
 * Made robust on a busy 2-core machine: only the normalising call is timed, the best of 3 runs
 * counts (and a time over a bound is measured once more), and the sizes double from 1/16 of the
 * limit up to the limit, with the time at each size checked against the one before (doubling the
 * input may not quadruple the time, give or take 10 ms of noise). A quadratic pattern fails at the
 * smallest size already, in a second or two, instead of running for minutes at the limit.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../limits';
import { isHotfix, isRevert } from './events';
import { normalizeDelivery, StoredDelivery } from './normalize';

const LIMIT_MS = 50;
const RUNS = 3;
const SIZES = [16, 8, 4, 2, 1].map(d =>
  Math.floor(DEFAULT_MAX_PAYLOAD_BYTES / d),
);
const options = { incidentLabels: ['incident'] };
const T = '2026-03-01T10:00:00Z';

/** A body with `fill` repeated in the place `make` puts it, as many times as fit in `bytes` of JSON. */
function filled(
  make: (text: string) => object,
  unit: string,
  bytes: number,
  tail = '',
): string {
  const base = Buffer.byteLength(JSON.stringify(make(tail)));
  // the text may appear in more than one field: measure what one more unit costs
  const per = Buffer.byteLength(JSON.stringify(make(unit + tail))) - base;
  const n = Math.max(0, Math.floor((bytes - base) / per));
  const payload = JSON.stringify(make(unit.repeat(n) + tail));
  if (Buffer.byteLength(payload) > bytes)
    throw new Error('the body came out over its size');
  return payload;
}

/**
 * Normalises as the processor does: the source's normaliser, then each change's revert and hotfix
 * flags. A refusal (the processor marks the delivery failed) is an outcome too, and is timed the same.
 */
function normalise(d: StoredDelivery) {
  try {
    const n = normalizeDelivery(d, options);
    if ('events' in n)
      for (const e of n.events)
        if (e.kind === 'change') [isRevert(e.title), isHotfix(e.title)];
    return n;
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function bestOfMs(d: StoredDelivery): number {
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    normalise(d);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const githubIssue = (text: string) => ({
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
const githubPullRequest = (text: string) => ({
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
const githubPush = (text: string) => ({
  ref: 'refs/heads/main',
  repository: {
    full_name: 'acme/payments-api',
    default_branch: 'main',
    pushed_at: T,
  },
  commits: [{ id: 'b'.repeat(40), timestamp: T, message: text }],
});
const githubDeployment = (text: string) => ({
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
const gitlabMergeRequest = (text: string) => ({
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
const gitlabIncident = (text: string) => ({
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
const gitlabDeployment = (text: string) => ({
  object_kind: 'deployment',
  status: 'success',
  deployment_id: 11,
  environment: 'production',
  sha: 'e'.repeat(40),
  ref: text,
  status_changed_at: '2026-03-01 10:00:00 UTC',
  project: { path_with_namespace: 'acme/ui-kit' },
});
const cdDeployed = (text: string) => ({
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
const cdChange = (text: string) => ({
  context: {
    id: 'cd-2',
    source: 'ci',
    type: 'dev.cdevents.change.merged.0.2.0',
    timestamp: T,
  },
  subject: { id: text, content: { repository: { id: 'acme/ui-kit' } } },
  customData: { title: text },
});
const cdIncident = (text: string) => ({
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
const cdType = (text: string) => ({
  context: {
    id: 'cd-4',
    source: 'ci',
    type: `dev.cdevents.${text}`,
    timestamp: T,
  },
});

/** Text that is a worst case for the `Deployment:` / `Root-cause:` line patterns (and the title patterns). */
const INCIDENT_TEXTS: [string, string, string?][] = [
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
const TITLE_TEXTS: [string, string, string?][] = [
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

const cases: {
  name: string;
  sourceType: StoredDelivery['sourceType'];
  eventType: string;
  make: (t: string) => object;
  unit: string;
  tail?: string;
}[] = [];
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

/** Doubling the input may not quadruple the time (what a quadratic pattern does), give or take timer and GC noise. */
const grewLinearly = (ms: number, previous: number) =>
  ms < 4 * previous + NOISE_MS;
const NOISE_MS = 10;

describe(`adversarial bodies up to the ${DEFAULT_MAX_PAYLOAD_BYTES}-byte webhook limit are normalised in under ${LIMIT_MS} ms`, () => {
  it.each(cases.map(c => [c.name, c]))('%s', (_name, c) => {
    const times: string[] = [];
    let previous: number | undefined;
    for (const bytes of SIZES) {
      const d: StoredDelivery = {
        sourceType: c.sourceType,
        eventType: c.eventType,
        payload: filled(c.make, c.unit, bytes, c.tail),
        receivedAt: Date.parse(T),
      };
      normalise(d); // once, so that the JIT has seen it (and it must not throw for its own reasons)
      let ms = bestOfMs(d);
      // a busy machine: a time over a bound is measured once more, and the better of the two counts
      if (
        ms >= LIMIT_MS ||
        (previous !== undefined && !grewLinearly(ms, previous))
      )
        ms = Math.min(ms, bestOfMs(d));
      times.push(`${bytes} B: ${ms.toFixed(2)} ms`);
      expect({ bytes, ms, within: ms < LIMIT_MS }).toEqual({
        bytes,
        ms,
        within: true,
      });
      if (previous !== undefined)
        expect({
          bytes,
          ms,
          previous,
          linear: grewLinearly(ms, previous),
        }).toEqual({ bytes, ms, previous, linear: true });
      previous = ms;
    }
    if (process.env.DORA_ADVERSARIAL_VERBOSE)
      process.stdout.write(`${c.name}: ${times.join(', ')}\n`);
  });
  it('builds bodies at the limit that the normaliser reads as intended', () => {
    const issue = filled(
      githubIssue,
      '\n',
      DEFAULT_MAX_PAYLOAD_BYTES,
      'Deployment: 42\nRoot-cause: abcdef1',
    );
    expect(Buffer.byteLength(issue)).toBeGreaterThan(
      DEFAULT_MAX_PAYLOAD_BYTES - 10,
    );
    expect(
      normalise({
        sourceType: 'github',
        eventType: 'issues',
        payload: issue,
        receivedAt: 0,
      }),
    ).toEqual({
      events: [
        expect.objectContaining({
          kind: 'incident',
          deploymentRef: '42',
          rootCauseSha: 'abcdef1',
        }),
      ],
    });
    const mr = filled(
      gitlabMergeRequest,
      'hotfi ',
      DEFAULT_MAX_PAYLOAD_BYTES,
      'hotfix',
    );
    const n = normalise({
      sourceType: 'gitlab',
      eventType: 'Merge Request Hook',
      payload: mr,
      receivedAt: 0,
    });
    expect('events' in n && isHotfix((n.events[0] as any).title)).toBe(true);
  });
});

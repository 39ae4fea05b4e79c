import { createHash } from 'node:crypto';
import { GithubDelivery, githubPayloads } from './githubPayloads';

/** How one demo repository delivers: the shape of its history. */
export interface DemoProfile {
  /** owner/name, as in the component's github.com/project-slug annotation. */
  repo: string;
  /** Production deployments on a working day (fractions are a chance of one more). */
  deploysPerWorkday: number;
  /** Hours from a pull request's opening to its merge, low and high. */
  leadHours: [number, number];
  /** Chance that a deployment causes an incident (named by root-cause sha). */
  incidentRate: number;
  /** Chance that a deployment is rolled back by redeploying the one before it. */
  rollbackRate: number;
}

/** The example catalog's repositories (catalog/components.yaml), from brisk to slow. */
export const DEMO_PROFILES: DemoProfile[] = [
  {
    repo: 'acme/payments-api',
    deploysPerWorkday: 2.4,
    leadHours: [2, 20],
    incidentRate: 0.04,
    rollbackRate: 0.02,
  },
  {
    repo: 'acme/checkout-web',
    deploysPerWorkday: 1.2,
    leadHours: [4, 40],
    incidentRate: 0.12,
    rollbackRate: 0.05,
  },
  {
    repo: 'acme/storefront-api',
    deploysPerWorkday: 0.5,
    leadHours: [12, 96],
    incidentRate: 0.08,
    rollbackRate: 0.04,
  },
  {
    repo: 'acme/ledger-service',
    deploysPerWorkday: 0.2,
    leadHours: [48, 300],
    incidentRate: 0.2,
    rollbackRate: 0.1,
  },
];

/** A small deterministic PRNG (mulberry32), so that every start seeds the same history. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha = (s: string) => createHash('sha1').update(s).digest('hex');

/**
 * A realistic GitHub history for one repository over `days` days up to `now`: pull requests
 * squash-merged to main (push + pull_request), a staging deployment before each production one
 * (ignored by the metrics), production deployment statuses, incidents that name their root-cause
 * commit (resolved hours later, or still open when recent), rollbacks, reverts and hotfixes.
 * Sorted by time; only events before `now`. Deployments are numbered from `firstDeploymentId`.
 */
export function demoHistory(
  profile: DemoProfile,
  now: Date,
  days = 90,
  seed = 7,
  firstDeploymentId = 1,
): GithubDelivery[] {
  const rnd = random(
    seed + [...profile.repo].reduce((s, c) => s + c.charCodeAt(0), 0),
  );
  const base = new Date(now.getTime() - days * 24 * 3600_000);
  const gh = githubPayloads(profile.repo, base);
  const events: Array<{ h: number; d: GithubDelivery }> = [];
  const nowH = days * 24;
  let pr = 0;
  let deployment = firstDeploymentId - 1;
  let issue = 0;
  let deployedSha: string | undefined;
  const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);

  const mergePr = (mergedH: number, title: string) => {
    const n = ++pr;
    const s = sha(`${profile.repo}#${n}`);
    const openedH = Math.max(0, mergedH - between(...profile.leadHours));
    events.push({
      h: mergedH,
      d: gh.push([[s, mergedH, `${title} (#${n})`]], mergedH),
    });
    events.push({
      h: mergedH + 0.01,
      d: gh.mergedPullRequest(n, s, openedH, mergedH, title),
    });
    return s;
  };
  const deploy = (s: string, atH: number, description?: string) => {
    events.push({
      h: atH - 0.5,
      d: gh.deploymentStatus(++deployment, {
        sha: s,
        environment: 'staging',
        atH: atH - 0.5,
      }),
    });
    events.push({
      h: atH,
      d: gh.deploymentStatus(++deployment, { sha: s, atH, description }),
    });
  };

  for (let day = 0; day < days; day++) {
    const weekday = new Date(base.getTime() + day * 24 * 3600_000).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    let n = Math.floor(profile.deploysPerWorkday);
    if (rnd() < profile.deploysPerWorkday - n) n++;
    for (let k = 0; k < n; k++) {
      const atH = day * 24 + 9 + (8 * (k + rnd())) / Math.max(1, n);
      if (atH >= nowH) continue;
      // one to three pull requests merged since the last deployment
      let head = '';
      const prs = 1 + Math.floor(rnd() * 3);
      for (let p = 0; p < prs; p++)
        head = mergePr(
          atH - between(0.5, 6),
          `Change ${pr + 1} to ${profile.repo.split('/')[1]}`,
        );
      const previous = deployedSha;
      deploy(head, atH);
      deployedSha = head;

      if (rnd() < profile.incidentRate) {
        const openedH = atH + between(0.5, 6);
        const closedH = openedH + between(0.5, 10);
        if (openedH < nowH) {
          events.push({
            h: openedH,
            d: gh.issue(++issue, {
              openedH,
              closedH: closedH < nowH ? closedH : undefined,
              body: `Errors after the deployment of ${head.slice(
                0,
                7,
              )}.\nRoot-cause: ${head.slice(0, 10)}`,
            }),
          });
          // the fix: a hotfix pull request, deployed before the incident is closed
          const fixH = Math.min(closedH - 0.2, openedH + between(0.3, 3));
          if (fixH < nowH && fixH > openedH) {
            const fix = mergePr(
              fixH - 0.2,
              `Hotfix: ${profile.repo.split('/')[1]} errors`,
            );
            deploy(fix, fixH, 'hotfix');
            deployedSha = fix;
          }
        }
      } else if (previous && rnd() < profile.rollbackRate) {
        const backH = atH + between(0.5, 3);
        if (backH < nowH) {
          deploy(previous, backH, 'rollback');
          deployedSha = previous;
        }
      }
    }
  }
  return events.sort((a, b) => a.h - b.h).map(e => e.d);
}

/** How many deployment ids each repository of demoHistories has to itself. */
export const DEPLOYMENT_IDS_PER_REPOSITORY = 1_000_000;

/**
 * The histories of several repositories (demoHistory each), their deployments numbered in a
 * range of each repository's own: on GitHub a deployment's id is unique across repositories, and
 * the normaliser keys deployments by source and id, so repositories numbered alike would take
 * one another's deployments.
 */
export function demoHistories(
  profiles: DemoProfile[],
  now: Date,
  days = 90,
): GithubDelivery[][] {
  return profiles.map((p, i) =>
    demoHistory(p, now, days, 7, i * DEPLOYMENT_IDS_PER_REPOSITORY + 1),
  );
}

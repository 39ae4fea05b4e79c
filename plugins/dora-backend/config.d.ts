import { HumanDuration } from '@backstage/types';

/*
 * Durations are Backstage durations: an object ({ minutes: 15 }), a short string ('15m', '2h') or
 * ISO 8601 ('PT15M'). The number keys they replace (frequencySeconds, quietMs...) still work, and
 * setting both is refused. Every default is in src/config.ts (DORA_CONFIG_DEFAULTS).
 */
export interface Config {
  /** DORA metrics (plugins/dora-backend). */
  dora?: {
    /**
     * Webhook sources: each delivery goes to POST /api/dora/webhooks/<id> and must carry the
     * source's proof (GitHub: X-Hub-Signature-256; GitLab: X-Gitlab-Token; Gitea and Forgejo:
     * X-Gitea-Signature, the bare hex HMAC-SHA256 of the body; CDEvents: X-CDEvents-Signature-256,
     * an HMAC-SHA256 like GitHub's).
     */
    sources?: Array<{
      /** Lower case letters, digits, - and _; the last part of the webhook URL. */
      id: string;
      type: 'github' | 'gitlab' | 'gitea' | 'cdevents';
      /**
       * The HMAC key (GitHub, Gitea, CDEvents) or the token (GitLab); at least 16 characters.
       * @visibility secret
       */
      secret: string;
      /** Issue labels that make an issue an incident, matched without regard to case (default: incident). */
      incidentLabels?: string[];
      /**
       * How many webhook requests this source may send in a window (default 3000 in 60 s). Over it,
       * the answer is 429 with Retry-After, before the body is read. Counted per source id, in each
       * backend process: with several replicas behind a load balancer a source may send up to the
       * limit to each.
       */
      rateLimit?: {
        /** Requests per window (a whole number, at least 1; default 3000). */
        requests?: number;
        /** The window's length in seconds (a whole number, at least 1; default 60). */
        windowSeconds?: number;
      };
    }>;
    processing?: {
      /** Normalise right after a delivery is stored, in the background (default true); the schedule works the queue either way. */
      immediate?: boolean;
      /** How often the normaliser runs on each replica (default { seconds: 10 }). */
      frequency?: HumanDuration | string;
      /** After a delivery, the normaliser waits this long without arrivals (default { milliseconds: 250 }), so that a burst is received first... */
      quietPeriod?: HumanDuration | string;
      /** ...but at most this long after the burst's first delivery (default { seconds: 2 }). */
      maxDelay?: HumanDuration | string;
      /** @deprecated use frequency */
      frequencySeconds?: number;
      /** @deprecated use quietPeriod */
      quietMs?: number;
      /** @deprecated use maxDelay */
      maxDelayMs?: number;
    };
    /** The largest delivery (webhook or JSON API body) accepted, in bytes (default 1 MiB); larger is a 413. */
    maxPayloadBytes?: number;
    /** Environment names that are production when the source does not say (default production, prod). */
    productionEnvironments?: string[];
    linking?: {
      /** How long before a component's first production deployment its changes still count (default { days: 30 }). */
      firstDeploymentLookback?: HumanDuration | string;
      /** How long before an incident a deployment may be guessed as its cause, with low confidence (default { hours: 24 }). */
      incidentWindow?: HumanDuration | string;
      /** @deprecated use firstDeploymentLookback */
      firstDeploymentLookbackDays?: number;
      /** @deprecated use incidentWindow */
      incidentWindowHours?: number;
    };
    metrics?: {
      /** The benchmark levels follow: 2023, 2024, or a name under benchmarks (default 2024). */
      benchmark?: string;
      /** Below this sample size a metric shows "insufficient data" (default 3). */
      minimumSampleSize?: number;
      /**
       * The organisation's own thresholds, by name. Each metric: the bound of elite, high and medium
       * (deployments a day at least; hours at most; ratios 0..1 at most).
       */
      benchmarks?: {
        [name: string]: {
          description?: string;
          thresholds: {
            [metric: string]: { elite: number; high: number; medium: number };
          };
        };
      };
    };
    scorecards?: {
      /**
       * The folder of scorecard YAML files and exemptions.yaml, relative to the backend's working
       * directory (default ../../scorecards, when url is not set). Not together with url.
       */
      dir?: string;
      /**
       * Instead of dir: the folder in git, read through Backstage's URL reader with the
       * integrations' credentials, like http://localhost:3300/acme/platform/src/branch/main/scorecards
       * (Gitea) or https://github.com/acme/platform/tree/main/scorecards. Read at start and every
       * refreshFrequency; a failed read keeps the definitions read before. Not together with dir
       * (an overlay on a config that sets dir sets `dir: null`); no credentials in the URL.
       */
      url?: string;
      /** How often url is read again (default { minutes: 5 }); an unchanged tree is not downloaded. */
      refreshFrequency?: HumanDuration | string;
      /** How often every scorecard is evaluated (default { minutes: 60 }). */
      frequency?: HumanDuration | string;
      /** How long after start the first evaluation waits (default { seconds: 60 }). */
      initialDelay?: HumanDuration | string;
      /** @deprecated use frequency */
      frequencyMinutes?: number;
      /** @deprecated use initialDelay */
      initialDelaySeconds?: number;
    };
    demo?: {
      /** Seed a demo history for the example catalog when no delivery is stored (the embedded default). */
      seed?: boolean;
      /** The github source the demo history is signed for (default github-demo). */
      source?: string;
      /**
       * The repositories (owner/name) the demo history is for, the example's four profiles in
       * turn (default: the example catalog's acme/payments-api, acme/checkout-web,
       * acme/storefront-api and acme/ledger-service). scripts/generate-org sets it to
       * repositories of its synthetic organisation.
       */
      repositories?: string[];
    };
    scaffolder?: {
      /** Read template runs from the scaffolder's API on a schedule (default true). */
      sync?: boolean;
      /** How often template runs are read (default { minutes: 15 }). */
      frequency?: HumanDuration | string;
      /** @deprecated use frequency */
      frequencyMinutes?: number;
    };
  };
}

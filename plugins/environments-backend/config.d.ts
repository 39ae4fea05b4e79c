import { HumanDuration } from '@backstage/types';

export interface Config {
  /** The sandbox environment vending service. */
  environments?: {
    /**
     * Folder of blueprints (`<name>/blueprint.yaml` + module), relative to the backend's working
     * directory; watched for changes. The default, unless blueprints.url is set (not both).
     */
    blueprintsDir?: string;
    /** Blueprints served from git instead of a local folder. */
    blueprints?: {
      /**
       * A folder of a repository, as its forge shows it, read with the backend's UrlReader (the
       * integration for its host gives the credentials; none in the URL): for Gitea
       * `https://<host>/<org>/<repo>/src/branch/<branch>/<folder>`. It holds the same
       * `<name>/blueprint.yaml` + module folders as blueprintsDir. Each new tree is extracted under
       * workDir/blueprints; a read that fails keeps the last good blueprints.
       */
      url?: string;
      /** How often the tree is read again; an unchanged one (same commit) is skipped (default 5 minutes). */
      frequency?: HumanDuration | string;
    };
    /** Where each environment's OpenTofu working folder (and, without PostgreSQL state, its state) lives. */
    workDir?: string;
    state?: {
      /**
       * OpenTofu state in the pg backend, one schema per environment. When unset, state is kept in
       * a local folder under workDir (the embedded default).
       * @visibility secret
       */
      pgConnectionString?: string;
      /** OpenTofu's own state encryption (TF_ENCRYPTION: AES-GCM, key by HKDF-SHA256 from the passphrase). */
      encryption?: {
        /**
         * The passphrase the state key is derived from (at least 16 characters; in production at
         * least 32 and not the development value, or the backend refuses to start). States written
         * before encryption are still read, and written back encrypted.
         * @visibility secret
         */
        passphrase?: string;
      };
    };
    /** Secrets at rest: secret outputs and generated secrets are encrypted with AES-256-GCM. */
    secrets?: {
      /**
       * The first key encrypts, every key decrypts. Rotate by putting a new key first and
       * restarting (a startup pass re-encrypts every stored secret with it), then removing the
       * old one. In production each secret must be at least 32 characters and not the development
       * key, or the backend refuses to start.
       */
      keys?: Array<{
        /** Stored with each value: 1-32 letters, digits, _ or -. */
        id: string;
        /** @visibility secret */
        secret: string;
      }>;
    };
    /**
     * The run queue, worked by every replica. Durations are Backstage durations: '2s', '15 minutes',
     * an ISO 8601 duration ('PT2S') or an object ({ seconds: 2 }). Each replaces a number key that is
     * still read (in the unit its name says); setting both is an error.
     */
    runs?: {
      /** How often a replica looks for runs other replicas queued (default 2 seconds). */
      pollInterval?: HumanDuration | string;
      /** @deprecated Use pollInterval: the same, in seconds. */
      pollSeconds?: number;
      /** How often a replica working a run records that it is alive (default 5 seconds). */
      heartbeatInterval?: HumanDuration | string;
      /** @deprecated Use heartbeatInterval: the same, in seconds. */
      heartbeatSeconds?: number;
      /**
       * A run whose heartbeat is older than this is taken over by another replica (default 60
       * seconds); the takeover looks every half of it, at most every 30 seconds.
       */
      staleAfter?: HumanDuration | string;
      /** @deprecated Use staleAfter: the same, in seconds. */
      staleAfterSeconds?: number;
      /** Runs one replica works at once (default 2); 0 makes a replica that serves the API only. */
      concurrency?: number;
    };
    /** Retention of runs and their logs (the scheduled task environments-run-retention). */
    retention?: {
      /**
       * Runs that finished longer ago than this are deleted with their logs: all of a destroyed or
       * rejected environment's, and a live one's except its latest finished run of each kind
       * (default 30 days).
       */
      maxAge?: HumanDuration | string;
      /** @deprecated Use maxAge: the same, in days. */
      runDays?: number;
      /** How often the cleaner runs (default 60 minutes). */
      frequency?: HumanDuration | string;
      /** @deprecated Use frequency: the same, in minutes. */
      intervalMinutes?: number;
    };
    rateLimit?: {
      /**
       * Requests refused by the guardrails, per person: after `max` within `windowMinutes`,
       * further requests are answered 429 with Retry-After and nothing is stored.
       */
      refusals?: {
        /** default 10 */
        max?: number;
        /** default 15 minutes */
        window?: HumanDuration | string;
        /** @deprecated Use window: the same, in minutes. */
        windowMinutes?: number;
      };
    };
    reminders?: {
      /** How long before its expiry the requester and the owning team are notified (default 24 hours). */
      before?: HumanDuration | string;
      /** @deprecated Use before: the same, in hours. */
      beforeHours?: number;
    };
    approvals?: {
      /**
       * Who is notified, through Backstage notifications with a link to the environment's page,
       * when a request waits for approval: entity refs, a group's members or single users (default
       * [group:default/platform], the group policies/portal/org/data.yaml makes platform
       * engineers, who approve). The requester is left out (they may not approve their own). The
       * requester is notified of the decision whatever this says; an empty list notifies nobody.
       */
      notify?: string[];
    };
    postgres?: {
      /**
       * A PostgreSQL URL of a role that may create roles and databases, for blueprints that declare
       * `spec.runner.env: [postgres-admin]` (postgres-sandbox): their provisioners get it as libpq's
       * PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and PGSSLMODE, never as a variable.
       * @visibility secret
       */
      adminUrl?: string;
    };
  };
}

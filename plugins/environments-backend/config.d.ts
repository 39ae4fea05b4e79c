export interface Config {
  /** The sandbox environment vending service. */
  environments?: {
    /** Folder of blueprints (`<name>/blueprint.yaml` + module), relative to the backend's working directory. */
    blueprintsDir?: string;
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
    /** The run queue, worked by every replica. */
    runs?: {
      /** How often a replica looks for runs other replicas queued, in seconds (default 2). */
      pollSeconds?: number;
      /** How often a replica working a run records that it is alive, in seconds (default 5). */
      heartbeatSeconds?: number;
      /** A run whose heartbeat is older than this is taken over by another replica, in seconds (default 60). */
      staleAfterSeconds?: number;
      /** Runs one replica works at once (default 2); 0 makes a replica that serves the API only. */
      concurrency?: number;
    };
    /** Retention of runs and their logs (the scheduled task environments-run-retention). */
    retention?: {
      /**
       * Runs that finished more than this many days ago are deleted with their logs: all of a
       * destroyed or rejected environment's, and a live one's except its latest finished run of
       * each kind (default 30).
       */
      runDays?: number;
      /** How often the cleaner runs, in minutes (default 60). */
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
        /** default 15 */
        windowMinutes?: number;
      };
    };
    reminders?: {
      /** How long before its expiry the requester and the owning team are notified, in hours (default 24). */
      beforeHours?: number;
    };
    scaffolder?: {
      /** How often environment:create and environment:destroy look at progress, in ms (default 2000). */
      pollIntervalMs?: number;
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

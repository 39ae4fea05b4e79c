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
    };
    /** The run queue, worked by every replica. */
    runs?: {
      /** How often a replica looks for runs other replicas queued, in seconds (default 2). */
      pollSeconds?: number;
      /** How often a replica working a run records that it is alive, in seconds (default 5). */
      heartbeatSeconds?: number;
      /** A run whose heartbeat is older than this is taken over by another replica, in seconds (default 60). */
      staleAfterSeconds?: number;
      /** Runs one replica works at once (default 2). */
      concurrency?: number;
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
       * A PostgreSQL URL of a role that may create roles and databases, for the postgres-sandbox
       * blueprint (its module's pg_admin_url).
       * @visibility secret
       */
      adminUrl?: string;
    };
  };
}

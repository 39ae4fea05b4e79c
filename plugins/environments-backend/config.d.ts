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

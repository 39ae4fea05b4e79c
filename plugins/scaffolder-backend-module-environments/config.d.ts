export interface Config {
  environments?: {
    /** The scaffolder actions environment:create, environment:extend and environment:destroy. */
    scaffolder?: {
      /**
       * How often environment:create and environment:destroy look at the environment's state and
       * its run log while they wait, in milliseconds (default 2000).
       */
      pollIntervalMs?: number;
    };
  };
}

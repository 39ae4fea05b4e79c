export interface Config {
  /** Open Policy Agent, asked for every permission and guardrail decision. */
  opa?: {
    /**
     * OPA's base URL, for OPA running beside the backend as a sidecar
     * (for example http://127.0.0.1:8181). Takes precedence over `opa.local`.
     */
    url?: string;
    /**
     * Local mode: the backend starts `opa run --server` itself, on a free
     * loopback port, with these policies loaded and watched (an edit takes
     * effect without a restart).
     */
    local?: {
      /** Folder of Rego policies and data, relative to the backend's working directory. */
      policyDir: string;
      /** Where OPA's decision log goes; when unset, to the backend log at debug level. */
      decisionLogFile?: string;
    };
    /** Milliseconds to wait for OPA before the answer is deny (default 200). */
    timeoutMs?: number;
    /** Decision cache (keyed by policy revision, principal and permission). */
    cache?: {
      /** Milliseconds a decision is reused (default 2000; 0 turns the cache off). */
      ttlMs?: number;
      /** Most decisions kept (default 10000). */
      maxEntries?: number;
    };
    /** Circuit breaker: after this many failures in a row, stop asking OPA for a while. */
    breaker?: {
      /** Consecutive failures that open the breaker (default 5). */
      failureThreshold?: number;
      /** Milliseconds the breaker stays open before one trial request (default 2000). */
      resetMs?: number;
    };
    /**
     * What to answer when OPA cannot be asked (down, slow, malformed answer, breaker open).
     * The default denies everything (fail closed); a permission named nowhere here is denied.
     */
    fallback?: {
      /**
       * Permission names allowed outright while OPA is unavailable. Only for permissions where
       * that is safe; with NODE_ENV=production the backend refuses to start unless this is empty.
       */
      allow?: string[];
      /**
       * Permissions answered CONDITIONAL while OPA is unavailable, so a degraded portal still
       * hides what it hid before (for example catalog.entity.read: unrestricted entities, or
       * owned by the user's claims). The plugin applies the conditions, as it does OPA's.
       */
      conditional?: Array<{
        /** The permission's name, for example catalog.entity.read. */
        permission: string;
        /** The plugin that owns the resource and applies the conditions, for example catalog. */
        pluginId: string;
        /** The permission's resource type, for example catalog-entity. */
        resourceType: string;
        /**
         * Backstage permission criteria: allOf, anyOf, not, or {rule, resourceType, params},
         * with rules the plugin publishes. A string value that is exactly `$claims` becomes the
         * user's ownership entity refs, `$userEntityRef` the user's entity ref.
         */
        conditions: { [key: string]: any };
        /** Shown to the user with the decision, for example "confidential entities are hidden". */
        reason?: string;
      }>;
    };
    /**
     * Data documents hashed into the policy revision together with every loaded policy module
     * (default: portal/org and portal/guardrails, the data in policies/).
     */
    revisionDataPaths?: string[];
    /** How often, in milliseconds, the policy revision is re-read from OPA (default 2000). */
    revisionIntervalMs?: number;
  };
}

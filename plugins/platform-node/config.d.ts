export interface Config {
  /** Open Policy Agent, used for every permission and guardrail decision. */
  opa?: {
    /**
     * Path to the `opa` binary. When unset, `opa` is looked up on PATH
     * (`scripts/start` puts the build from tools/ there).
     */
    binary?: string;
  };
  /** The infrastructure-as-code engine that provisions environments. */
  iac?: {
    /**
     * Path to the `tofu` binary. When unset, `tofu` is looked up on PATH
     * (`scripts/start` puts the build from tools/ there).
     */
    binary?: string;
  };
  /**
   * Keys that @backstage/plugin-techdocs-node reads but its package does not declare in a config
   * schema, so that `backstage-cli config:check --strict` (scripts/check-config) accepts them.
   */
  techdocs?: {
    generator?: {
      mkdocs?: {
        /**
         * Build without the techdocs-core MkDocs plugin (app-config.yaml says why).
         * Read as `techdocs.generator.mkdocs.omitTechdocsCorePlugin` by TechdocsGenerator.
         */
        omitTechdocsCorePlugin?: boolean;
      };
    };
  };
}

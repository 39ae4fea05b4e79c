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
}

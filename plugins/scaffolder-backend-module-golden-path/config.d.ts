export interface Config {
  /** The golden paths' scaffolder actions (@internal/plugin-scaffolder-backend-module-golden-path). */
  goldenPath?: {
    /**
     * Where the golden paths create repositories, when a template gives no repoUrl: the forge's
     * host as integrations.gitea[].host names it, and the organisation.
     */
    forge?: {
      host: string;
      organisation: string;
    };
    /**
     * The portal's DORA webhook endpoint as the forge reaches it, without the source
     * (default: backend.baseUrl + /api/dora/webhooks). Set it when the forge reaches the backend by
     * another address than the browser does.
     */
    doraWebhookBaseUrl?: string;
  };
}

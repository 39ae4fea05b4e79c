import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { VisibilityProcessor } from './VisibilityProcessor';

/** Installs the VisibilityProcessor in the catalog. */
export const catalogModuleVisibility = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'visibility',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new VisibilityProcessor());
      },
    });
  },
});

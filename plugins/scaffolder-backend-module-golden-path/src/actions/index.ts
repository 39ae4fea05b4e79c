export { createServiceCheckAction } from './serviceCheck';
export { createPublishGiteaResumableAction } from './publishGitea';
export { createDoraWebhookAction } from './doraWebhook';
export { createTemplateRunAction } from './templateRun';

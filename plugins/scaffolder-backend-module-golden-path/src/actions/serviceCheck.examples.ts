import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Checks the new service against the platform's guardrail and the forge before any step creates something",
    example: yaml.stringify({
      steps: [
        {
          id: 'check',
          action: 'golden-path:service:check',
          name: 'Check the service',
          input: {
            name: '${{ parameters.name }}',
            owner: '${{ parameters.owner }}',
            repoUrl: 'localhost:3300?owner=acme&repo=${{ parameters.name }}',
            template: 'node-service',
          },
        },
      ],
    }),
  },
];

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Connects the new repository to DORA through the portal's gitea source",
    example: yaml.stringify({
      steps: [
        {
          id: 'dora',
          action: 'dora:webhook:create',
          name: 'Connect the repository to DORA',
          input: {
            repoUrl: 'localhost:3300?owner=acme&repo=${{ parameters.name }}',
            source: 'gitea',
          },
        },
      ],
    }),
  },
];

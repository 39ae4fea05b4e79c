import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Publishes the workspace to a new repository in the acme organisation, default branch main, with the owner team's access",
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'publish:gitea',
          name: 'Create the repository',
          input: {
            repoUrl: 'localhost:3300?owner=acme&repo=${{ parameters.name }}',
            description: '${{ parameters.description }}',
            defaultBranch: 'main',
            team: '${{ parameters.owner }}',
          },
        },
      ],
    }),
  },
];

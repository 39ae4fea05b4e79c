import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Moves an environment's expiry 24 hours later (within its blueprint's maximum and the guardrails)",
    example: yaml.stringify({
      steps: [
        {
          id: 'extend',
          action: 'environment:extend',
          name: 'Extend the environment',
          input: {
            id: '${{ parameters.id }}',
            hours: 24,
          },
        },
      ],
    }),
  },
];

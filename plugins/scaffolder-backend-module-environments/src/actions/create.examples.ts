import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Requests a PostgreSQL sandbox for a team with the blueprint defaults, and waits until it is active',
    example: yaml.stringify({
      steps: [
        {
          id: 'create',
          action: 'environment:create',
          name: 'Request the environment',
          input: {
            name: 'payments-db',
            blueprint: 'postgres-sandbox',
            owner: 'group:default/payments',
          },
        },
      ],
    }),
  },
  {
    description:
      "Requests a size, a TTL and a blueprint variable from the template's parameters",
    example: yaml.stringify({
      steps: [
        {
          id: 'create',
          action: 'environment:create',
          name: 'Request the environment',
          input: {
            name: '${{ parameters.name }}',
            blueprint: 'postgres-sandbox',
            owner: '${{ parameters.owner }}',
            size: 'medium',
            ttlHours: 48,
            variables: { extensions: 'pgcrypto' },
            timeoutMinutes: 30,
          },
        },
      ],
    }),
  },
  {
    description:
      'Requests a workspace without waiting: the step ends at once with the state the guardrails gave it (queued, or pending_approval)',
    example: yaml.stringify({
      steps: [
        {
          id: 'create',
          action: 'environment:create',
          name: 'Request the environment',
          input: {
            name: 'scratch',
            blueprint: 'workspace',
            owner: 'group:default/payments',
            wait: false,
          },
        },
      ],
    }),
  },
];

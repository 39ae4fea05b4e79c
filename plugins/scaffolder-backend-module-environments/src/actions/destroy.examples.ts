import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Destroys an environment and waits until it is destroyed, with the run log in the task log',
    example: yaml.stringify({
      steps: [
        {
          id: 'destroy',
          action: 'environment:destroy',
          name: 'Destroy the environment',
          input: { id: '${{ parameters.id }}' },
        },
      ],
    }),
  },
  {
    description:
      'Asks for the destroy and ends the step at once (state destroying); the environment is destroyed in the background',
    example: yaml.stringify({
      steps: [
        {
          id: 'destroy',
          action: 'environment:destroy',
          name: 'Destroy the environment',
          input: { id: '${{ parameters.id }}', wait: false },
        },
      ],
    }),
  },
];

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Records the run in DORA once the new component is in the catalog, so its time to first deploy counts from now',
    example: yaml.stringify({
      steps: [
        {
          id: 'adoption',
          action: 'dora:template-run:record',
          name: 'Record the run in DORA',
          input: {
            componentRef: '${{ steps.register.output.entityRef }}',
            teamRef: '${{ parameters.owner }}',
          },
        },
      ],
    }),
  },
];

/*
 * Templates the module test registers besides the golden path (templates/sandbox-environment),
 * written as a platform team might write them.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Extends, then destroys, an environment. */
export const lifecycleTemplate = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'environment-lifecycle',
    title: 'Extend, then destroy, an environment',
  },
  spec: {
    owner: 'group:default/platform',
    type: 'environment',
    parameters: [
      {
        required: ['id', 'hours'],
        properties: { id: { type: 'string' }, hours: { type: 'number' } },
      },
    ],
    steps: [
      {
        id: 'extend',
        name: 'Extend',
        action: 'environment:extend',
        input: { id: '${{ parameters.id }}', hours: '${{ parameters.hours }}' },
      },
      {
        id: 'destroy',
        name: 'Destroy',
        action: 'environment:destroy',
        input: { id: '${{ parameters.id }}', wait: true },
      },
    ],
    output: {
      text: [
        { title: 'Expiry', content: '${{ steps.extend.output.expiresAt }}' },
        { title: 'State', content: '${{ steps.destroy.output.state }}' },
      ],
    },
  },
};

/** Requests a postgres-sandbox with an extension (the golden path offers none). */
export const pgTemplate = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'environment-pg',
    title: 'A PostgreSQL sandbox with pgcrypto',
  },
  spec: {
    owner: 'group:default/platform',
    type: 'environment',
    parameters: [
      { required: ['name'], properties: { name: { type: 'string' } } },
    ],
    steps: [
      {
        id: 'create',
        name: 'Create',
        action: 'environment:create',
        input: {
          name: '${{ parameters.name }}',
          blueprint: 'postgres-sandbox',
          owner: 'group:default/payments',
          variables: { extensions: 'pgcrypto' },
          wait: true,
        },
      },
    ],
    output: {
      text: [{ title: 'State', content: '${{ steps.create.output.state }}' }],
    },
  },
};

/** pgTemplate on postgres-leaky (see leakyBlueprint.ts): a create that fails after its password exists. */
export const leakyTemplate = {
  ...pgTemplate,
  metadata: {
    name: 'environment-pg-leaky',
    title: 'A PostgreSQL sandbox whose module leaks and fails',
  },
  spec: {
    ...pgTemplate.spec,
    steps: [
      {
        ...pgTemplate.spec.steps[0],
        input: {
          ...pgTemplate.spec.steps[0].input,
          blueprint: 'postgres-leaky',
        },
      },
    ],
  },
};

/** Writes the templates (and `extra` ones) into `dir` (JSON is YAML); their catalog locations. */
export function writeTemplates(
  dir: string,
  extra: Array<typeof pgTemplate> = [],
) {
  return [
    ['lifecycle-template.yaml', lifecycleTemplate],
    ['pg-template.yaml', pgTemplate],
    ...extra.map(t => [`${t.metadata.name}.yaml`, t]),
  ].map(([file, template]) => {
    const target = path.join(dir, file as string);
    fs.writeFileSync(target, JSON.stringify(template));
    return { type: 'file', target };
  });
}

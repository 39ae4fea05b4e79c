import { blueprintSchema, resolveVariables } from './blueprint';

const valid = {
  apiVersion: 'portal.acme.example/v1',
  kind: 'Blueprint',
  metadata: {
    name: 'postgres-sandbox',
    title: 'PostgreSQL sandbox',
    description: 'A database.',
  },
  spec: {
    owner: 'group:default/platform',
    module: './module',
    ttl: { defaultHours: 24, maxHours: 720 },
    sizes: {
      small: { costPerHour: 0.02 },
      large: { costPerHour: 0.5, variables: { connection_limit: 50 } },
    },
    defaultSize: 'small',
    variables: [
      {
        name: 'purpose',
        type: 'string',
        pattern: '[a-z][a-z0-9-]{0,30}',
        default: 'sandbox',
      },
      {
        name: 'extensions',
        type: 'string',
        allowed: ['none', 'pgcrypto'],
        default: 'none',
      },
      {
        name: 'connection_limit',
        type: 'number',
        min: 1,
        max: 100,
        default: 5,
      },
    ],
    outputs: { secret: ['password', 'connection_string'] },
  },
};

const problems = (doc: unknown) => {
  const r = blueprintSchema.safeParse(doc);
  return r.success
    ? []
    : r.error.issues.map(i => `${i.path.join('.')}: ${i.message}`);
};

describe('blueprint schema', () => {
  it('accepts a complete blueprint and fills in defaults', () => {
    const b = blueprintSchema.parse({
      ...valid,
      spec: { ...valid.spec, outputs: undefined },
    });
    expect(b.spec.outputs.secret).toEqual([]);
    expect(b.spec.applyable).toBe(true);
    expect(b.spec.sizes.small.variables).toEqual({});
  });

  it.each([
    [
      { ...valid, metadata: { ...valid.metadata, name: 'Bad Name' } },
      /metadata.name: must be lower case words/,
    ],
    [
      { ...valid, spec: { ...valid.spec, module: '../elsewhere' } },
      /spec.module: must be a folder inside/,
    ],
    [
      {
        ...valid,
        spec: { ...valid.spec, ttl: { defaultHours: 800, maxHours: 720 } },
      },
      /spec.ttl: defaultHours must not exceed maxHours/,
    ],
    [
      { ...valid, spec: { ...valid.spec, defaultSize: 'huge' } },
      /spec.defaultSize: is not one of the sizes \(small, large\)/,
    ],
    [
      {
        ...valid,
        spec: {
          ...valid.spec,
          variables: [{ name: 'rm -rf', type: 'string' }],
        },
      },
      /spec.variables.0.name: must be lower case letters/,
    ],
    [
      {
        ...valid,
        spec: {
          ...valid.spec,
          variables: [{ name: 'n', type: 'number', default: 'x' }],
        },
      },
      /spec.variables.0.default: must be a number/,
    ],
    [
      { ...valid, spec: { ...valid.spec, surprise: true } },
      /spec: Unrecognized key/,
    ],
  ])('names the field and the rule of a bad blueprint (%#)', (doc, message) => {
    expect(problems(doc).join('\n')).toMatch(message);
  });
});

describe('resolveVariables', () => {
  const blueprint = blueprintSchema.parse(valid);

  it('fills in defaults', () => {
    expect(resolveVariables(blueprint, { purpose: 'demo' })).toEqual({
      variables: { purpose: 'demo', extensions: 'none', connection_limit: 5 },
      problems: [],
    });
  });

  it.each([
    [
      { nope: 1 },
      'variables.nope',
      /is not a variable of postgres-sandbox \(it has: purpose, extensions, connection_limit\)/,
    ],
    [{ purpose: 'x; rm -rf /' }, 'variables.purpose', /must match/],
    [{ purpose: '../../etc' }, 'variables.purpose', /must match/],
    [
      { extensions: 'postgis' },
      'variables.extensions',
      /must be one of "none", "pgcrypto"/,
    ],
    [
      { connection_limit: 1000 },
      'variables.connection_limit',
      /must be at most 100/,
    ],
    [
      { connection_limit: '5' },
      'variables.connection_limit',
      /must be a number/,
    ],
  ])('refuses %j, naming %s', (requested, field, message) => {
    const resolved = resolveVariables(blueprint, requested);
    expect(resolved.problems).toContainEqual({
      field,
      message: expect.stringMatching(message),
    });
  });
});

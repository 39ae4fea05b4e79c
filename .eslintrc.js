// Each package's .eslintrc.js is Backstage's factory config
// (@backstage/cli/config/eslint-factory); this root config only adds what the whole repository
// holds to on top of it.
module.exports = {
  root: true,
  overrides: [
    {
      // No import cycle inside a package: eslint-plugin-import, which the factory config already
      // loads, here told to follow TypeScript files as well as JavaScript.
      files: [
        'packages/*/**/*.{ts,tsx,js,jsx}',
        'plugins/*/**/*.{ts,tsx,js,jsx}',
      ],
      settings: {
        'import/extensions': ['.ts', '.tsx', '.js', '.jsx'],
        // Dependencies (workspace packages too: they resolve through node_modules) are not
        // followed: the check stays inside the package, and takes seconds, not minutes.
        'import/ignore': ['node_modules'],
        'import/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
        'import/resolver': {
          node: { extensions: ['.ts', '.tsx', '.js', '.jsx', '.json'] },
        },
      },
      rules: {
        'import/no-cycle': ['error', { ignoreExternal: true }],
        // fast-check's fc.assert is an assertion too: a property test asserts through it
        'jest/expect-expect': [
          'warn',
          { assertFunctionNames: ['expect', 'fc.assert'] },
        ],
      },
    },
  ],
};

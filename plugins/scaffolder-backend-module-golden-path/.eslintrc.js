module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // The tests run this module in a backend with the real environments plugin, so they import
  // that plugin; the module's own code never does.
  testRules: { '@backstage/no-mixed-plugin-imports': 'off' },
});

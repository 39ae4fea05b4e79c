module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // shared assertion helpers of src/__testUtils__ (expectLinearWithinLimit) assert too
  testRules: {
    'jest/expect-expect': ['warn', { assertFunctionNames: ['expect*'] }],
  },
});

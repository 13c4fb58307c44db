// Suites are separated by file suffix so each can be run alone (see README "Tests"):
//   *.test.ts      unit: no servers
//   *.int.test.ts  integration: real Kafka, DynamoDB Local and ElasticMQ (started by `npm test`)
//   *.e2e.test.ts  end to end: the whole local pipeline
//   *.fault.test.ts the fault suite: the pipeline under injected faults (slow; its own step)
const transform = { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };
const ignore = ['/node_modules/', '/cdk.out/', '/.local/', '/.cache/'];
// Integration and e2e tests reach the local servers through the standard environment variables;
// this fills in the defaults of localstack/backends when a test file is run alone.
const withBackends = { setupFiles: ['<rootDir>/test/support/backends-env.ts'] };

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: [...ignore, '\\.int\\.test\\.ts$', '\\.e2e\\.test\\.ts$', '\\.fault\\.test\\.ts$'],
    },
    {
      ...common,
      ...withBackends,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.test.ts'],
      testPathIgnorePatterns: ignore,
    },
    {
      ...common,
      ...withBackends,
      displayName: 'e2e',
      testMatch: ['<rootDir>/**/*.e2e.test.ts'],
      testPathIgnorePatterns: ignore,
    },
    {
      ...common,
      ...withBackends,
      displayName: 'fault',
      testMatch: ['<rootDir>/**/*.fault.test.ts'],
      testPathIgnorePatterns: ignore,
    },
  ],
};

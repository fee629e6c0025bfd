import { configDefaults, defineConfig } from 'vitest/config';

/** Evaluates the AWS calls every other test file recorded, so it runs after all of them. */
const IAM_SIMULATION = 'test/infra/iam-simulation.test.ts';

export default defineConfig({
  test: {
    setupFiles: ['./test/setup.ts'],
    globalSetup: ['./test/support/iam/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Node 20 is what this machine has; the SDK's reminder that Node 22 is coming is known and only noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'suites',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, IAM_SIMULATION],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'iam-simulation', include: [IAM_SIMULATION], sequence: { groupOrder: 1 } },
      },
    ],
  },
});

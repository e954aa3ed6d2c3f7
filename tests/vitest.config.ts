import { defineConfig } from 'vitest/config'

/**
 * The suites that also run against the PostgreSQL store, unchanged (docs/DEPLOY.md): each of their
 * servers gets a database of its own (TEST_STORE, tests/helpers/testServer.ts).
 */
const ON_POSTGRES = [
  'tests/integration/accessMatrix.test.ts',
  'tests/integration/confidentiality.test.ts',
  'tests/integration/singleText.test.ts',
]

/** What every project runs with (a project does not take all of these from the root). */
const shared = {
  setupFiles: ['tests/processListeners.setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // expect.poll waits for an event with this bound (Vitest's default, 1 s, is shorter than a page
  // under the whole suite's load takes to sync, acknowledge and settle its save indicator).
  expect: { poll: { timeout: 10_000 } },
}

export default defineConfig({
  test: {
    ...shared,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    projects: [
      { extends: true, test: { ...shared, name: 'all', include: ['tests/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          ...shared,
          name: 'postgres',
          include: ON_POSTGRES,
          env: { TEST_STORE: 'postgres' },
        },
      },
    ],
  },
})

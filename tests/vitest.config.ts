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

export default defineConfig({
  test: {
    setupFiles: ['tests/processListeners.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for an event with this bound (Vitest's default, 1 s, is shorter than a page
    // under the whole suite's load takes to sync, acknowledge and settle its save indicator).
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    projects: [
      { extends: true, test: { name: 'all', include: ['tests/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'postgres', include: ON_POSTGRES, env: { TEST_STORE: 'postgres' } },
      },
    ],
  },
})

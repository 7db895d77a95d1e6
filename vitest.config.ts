import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run against TypeScript sources; published builds use dist/.
    conditions: ['@zkts/source'],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

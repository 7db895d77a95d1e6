import { defineConfig } from 'vitest/config';

// Tests run against TypeScript sources; published builds use dist/. Vite applies
// `resolve.conditions` to the client environment only, so the SSR environment
// that Node tests run in needs the condition too.
const sourceConditions = ['@zkts/source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@zkts/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

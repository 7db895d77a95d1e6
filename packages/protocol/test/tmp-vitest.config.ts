import { defineConfig } from 'vitest/config';
export default defineConfig({
  root: '/work/main',
  resolve: { conditions: ['@zkts/source'] },
  ssr: { resolve: { conditions: ['@zkts/source'] } },
  test: { include: ['packages/*/test/**/*.test.ts'], pool: 'forks' },
});

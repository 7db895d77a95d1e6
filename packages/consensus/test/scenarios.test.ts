/**
 * Scripted traces: every `scenarios/*.txt` is replayed and must reproduce its recorded trace.
 * Run with UPDATE_TRACES=1 to rewrite the traces, then review them as a diff.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenarioFile } from './harness/scenario.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'scenarios');

describe('scripted scenarios', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    it(file, () => {
      const { expected, actual } = runScenarioFile(join(dir, file));
      expect(actual).toBe(expected);
    });
  }
});

import { it } from 'vitest';
it('x', async () => {
  const m = await import('@zkts/protocol');
  console.log('RESOLVED', import.meta.resolve ? import.meta.resolve('@zkts/protocol') : '?');
});

// Lets the examples import @zkts/* by package name before `pnpm install` has linked them into
// examples/*/node_modules: a name Node cannot resolve is mapped to the package's built dist.
// Registered with `node --import ./zkts-packages-hook.mjs`.
import { register } from 'node:module';

register('./zkts-packages-resolve.mjs', import.meta.url);

// Resolve hook for zkts-packages-hook.mjs: `@zkts/<name>` → packages/<name>/dist/index.js,
// used only when normal resolution fails.
const packagesDir = new URL('../../../', import.meta.url);

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const match = /^@zkts\/([a-z-]+)$/.exec(specifier);
    if (match === null || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return { url: new URL(`${match[1]}/dist/index.js`, packagesDir).href, shortCircuit: true };
  }
}

/** A public workspace package, as `scripts/docs-packages.mjs` finds it. */
export interface PublicPackage {
  /** Its directory relative to the repository root, e.g. `packages/client`. */
  dir: string;
  /** Its npm name, e.g. `@zkts/client`. */
  name: string;
  /** Absolute path of its `src/index.ts`. */
  entry: string;
}

/** The public packages under `root`, in the order the reference lists them. */
export function publicPackages(root: string): PublicPackage[];

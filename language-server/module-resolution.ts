// Where a relative import may point: the files TypeScript's bundler resolution would try, in order.
import path from "node:path";

const extensions = [".ts", ".tsx", ".mts", ".cts", "/index.ts", "/index.tsx"];

/** Candidate files for `specifier` imported from `fromFile`; none when the specifier is not relative. */
export function relativeModuleCandidates(fromFile: string, specifier: string): string[] {
  if (!specifier.startsWith(".")) return [];
  // `./tasks.js` in TypeScript source names `./tasks.ts`.
  const base = path.resolve(path.dirname(fromFile), specifier.replace(/\.[cm]?js$/, ""));
  return [base, ...extensions.map((extension) => base + extension)];
}

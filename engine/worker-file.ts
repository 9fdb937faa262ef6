// Where an engine worker thread's module is: next to the engine's own modules, engine/*.ts from source (workers
// inherit `--import tsx` through execArgv), dist/engine/*.mjs when bundled, where the caller may live in
// dist/engine/chunks/. Each worker is an entry of its own in scripts/build.mjs.
import path from "node:path";
import { fileURLToPath } from "node:url";

export function engineWorkerFile(name: string): string {
  const self = fileURLToPath(import.meta.url);
  const directory = path.dirname(self);
  const engineDirectory = path.basename(directory) === "chunks" ? path.dirname(directory) : directory;
  return path.join(engineDirectory, `${name}${path.extname(self)}`);
}

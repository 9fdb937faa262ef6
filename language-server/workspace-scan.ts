// Finds the workspace's TypeScript files and skein.yaml files, reading each .ts file once and handing on only
// the ones that mention the skein module. Synchronous reads are several times faster than fs.promises for
// thousands of small files, so the work is done in short synchronous slices that yield to the event loop in
// between: requests (code lenses of the open file) are answered while the scan goes on.
import fs from "node:fs";
import path from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { skeinModule } from "./discovery.ts";

export const skeinYamlName = "skein.yaml";

const skippedDirectories = new Set(["node_modules", "dist", "out", "build", "coverage"]);
const typeScriptFile = /\.(ts|tsx|mts|cts)$/;
/** Time one slice may hold the event loop before yielding. */
const sliceMs = 8;

export interface ScanResult {
  typeScriptFiles: number;
  yamlFiles: string[];
}

export interface ScanSink {
  /** Called with the text of each TypeScript file that may declare flows (it mentions the skein module). */
  candidate(file: string, text: string): void;
  /** True when the file is open in the editor, whose text wins over the disk. */
  isOpen(file: string): boolean;
}

export async function scanWorkspace(roots: string[], sink: ScanSink): Promise<ScanResult> {
  const typeScriptFiles: string[] = [];
  const yamlFiles: string[] = [];
  const directories = [...roots];
  let sliceStart = performance.now();
  const maybeYield = async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await yieldToEventLoop();
    sliceStart = performance.now();
  };

  while (directories.length) {
    collect(directories.pop()!, directories, typeScriptFiles, yamlFiles);
    await maybeYield();
  }
  for (const file of typeScriptFiles) {
    if (!sink.isOpen(file)) {
      const text = readCandidate(file);
      if (text !== undefined) sink.candidate(file, text);
    }
    await maybeYield();
  }
  return { typeScriptFiles: typeScriptFiles.length, yamlFiles };
}

function collect(directory: string, directories: string[], typeScriptFiles: string[], yamlFiles: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return; // unreadable or vanished directories hold nothing we can analyse
  }
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirectories.has(entry.name) && !entry.name.startsWith(".")) directories.push(full);
    } else if (entry.isFile()) {
      if (entry.name === skeinYamlName) yamlFiles.push(full);
      else if (typeScriptFile.test(entry.name) && !entry.name.endsWith(".d.ts")) typeScriptFiles.push(full);
    }
  }
}

/** The file's text when it may declare flows, else undefined (the text test runs on bytes, before decoding). */
function readCandidate(file: string): string | undefined {
  try {
    const buffer = fs.readFileSync(file);
    return buffer.includes(skeinModule) ? buffer.toString("utf8") : undefined;
  } catch {
    return undefined;
  }
}

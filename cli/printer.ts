// What `skein run` shows while a run runs: Prefect-style lines (time | level | run - message, the same lines the
// VS Code extension shows), or with `--output jsonl` each run event as one JSON line for programs to read.
import type { RunEvent } from "../protocol/run-events.ts";
import { createTextPrinter } from "../engine/logging.ts";

export type OutputMode = "text" | "jsonl";

export function createPrinter(mode: OutputMode, write: (line: string) => void): (event: RunEvent) => void {
  if (mode === "jsonl") return (event) => write(JSON.stringify(event));
  return createTextPrinter(write);
}

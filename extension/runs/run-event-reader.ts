// Splits a run process's stdout (`skein run --output jsonl`) into run events and plain text. A flow may print to
// stdout itself (console.log without logPrints), so a line that is not an event is passed on as text.
import type { RunEvent } from "../../protocol/run-events.ts";

export type RunOutputItem = { event: RunEvent } | { text: string };

export class RunEventReader {
  private pending = "";

  /** Feeds a chunk; returns the complete lines it finished, in order. */
  push(chunk: string): RunOutputItem[] {
    const lines = (this.pending + chunk).split("\n");
    this.pending = lines.pop() ?? "";
    return lines.map(parseLine);
  }

  /** The last line when the stream ends without a newline. */
  end(): RunOutputItem[] {
    const rest = this.pending;
    this.pending = "";
    return rest ? [parseLine(rest)] : [];
  }
}

function parseLine(line: string): RunOutputItem {
  if (line.startsWith("{")) {
    try {
      const value: unknown = JSON.parse(line);
      if (isRunEvent(value)) return { event: value };
    } catch {
      // Not JSON after all: show it as the text it is.
    }
  }
  return { text: line };
}

function isRunEvent(value: unknown): value is RunEvent {
  const candidate = value as Partial<RunEvent> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.kind === "string" &&
    typeof candidate.id === "string" &&
    typeof candidate.flowRunId === "string" &&
    typeof candidate.timestamp === "string"
  );
}

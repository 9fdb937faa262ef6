// Where a failed task raised its error: the first frame of the recorded stack that lies in the user's own code.
// Run processes run the bundled flow with source maps, so their stacks already name the original .ts files and
// lines; frames in node internals, node_modules and Skein's own bundle are skipped.

export interface FailureLocation {
  /** Absolute path as the stack names it. */
  file: string;
  /** 0-based, as editors count. */
  line: number;
  column: number;
  /** The error's first line, e.g. "Error: boom". */
  message: string;
}

// "    at fn (/abs/file.ts:3:9)", "    at /abs/file.ts:3:9", "    at async fn (file:///abs/file.ts:3:9)"
const FRAME = /^\s*at (?:.*? \()?(?:file:\/\/)?(.+?):(\d+):(\d+)\)?$/;

/** The location of the error in user code, or undefined when the stack shows none (e.g. a timeout). */
export function failureLocation(stack: string, isUserFile: (file: string) => boolean): FailureLocation | undefined {
  const lines = stack.split("\n");
  const message = lines.find((line) => line.trim() !== "")?.trim() ?? "";
  for (const line of lines) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const file = decodeURIComponent(match[1]);
    if (file.startsWith("node:") || file.includes("/node_modules/") || !isUserFile(file)) continue;
    return { file, line: Number(match[2]) - 1, column: Number(match[3]) - 1, message };
  }
  return undefined;
}

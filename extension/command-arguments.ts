// What a command was given: commands run from menus (a tree item), from lenses, from other extensions'
// executeCommand and from the palette (nothing), so their arguments are read like any outside input, here once
// for every command.
import type { FlowLensArgs } from "../protocol/lsp.ts";

/** Ids are short; anything longer is not one (a keybinding or another extension may pass anything). */
const MAX_ID_LENGTH = 200;

function idIn(argument: unknown, field: "flowRunId" | "taskRunId"): string | undefined {
  const id =
    typeof argument === "object" && argument !== null ? (argument as Record<string, unknown>)[field] : argument;
  return typeof id === "string" && id.length > 0 && id.length <= MAX_ID_LENGTH ? id : undefined;
}

/** A flow run id given as a string, or as an object carrying `flowRunId` (a tree item, a view). */
export function flowRunIdOf(argument: unknown): string | undefined {
  return idIn(argument, "flowRunId");
}

/** A task run id given as a string, or as an object carrying `taskRunId`. */
export function taskRunIdOf(argument: unknown): string | undefined {
  return idIn(argument, "taskRunId");
}

/** Whether a command argument is a lens's flow (the palette passes nothing; a keybinding may pass anything). */
export function isFlowLensArgs(argument: unknown): argument is FlowLensArgs {
  const candidate = argument as Partial<FlowLensArgs> | null | undefined;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.file === "string" &&
    typeof candidate.exportPath === "string" &&
    typeof candidate.flowName === "string"
  );
}

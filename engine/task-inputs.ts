// A task run's inputs: the arguments it was called with, by parameter name, recorded in the store (a
// task-run-inputs event) so the run can be rerun from this task with some of them edited, or the task debugged
// again with them (`skein flow-run rerun`, `skein task-run debug`). What is recorded, or why nothing is:
// - every declared parameter by name (one left out of the call is recorded as undefined, which calls the same:
//   its default applies), a rest parameter as the array of what it got, arguments past the declared ones as
//   `arg<i>`; serialized like results (engine/results/serialize.ts), so Date, Map, Set, bigint and Buffer survive;
// - not stored, with the reason, when they cannot be serialized (a class instance, a function), when their text is
//   over MAX_RECORDED_INPUTS_CHARS, when they hold a secret value this process knows (a secret never reaches the
//   store in plain text, and a masked copy would not run the same), or when `persistInputs: false`.
import { ParameterError, errorMessage } from "./errors.ts";
import { containsSecret } from "./masking.ts";
import { parameterInfo } from "./parameters.ts";
import { deserialize, serialize } from "./results/serialize.ts";

/** About 1 MB of text: larger inputs are not stored (the reason says how large they were). */
export const MAX_RECORDED_INPUTS_CHARS = 1_000_000;

/** One of the two: the inputs' text, or why they were not stored. */
export interface RecordedInputs {
  inputs?: string;
  notStoredReason?: string;
}

const EXTRA_ARGUMENT = /^arg(\d+)$/;

/** The arguments by parameter name, as recorded (see the header). */
export function argumentsByName(fn: Function, args: readonly unknown[]): Record<string, unknown> {
  const infos = parameterInfo(fn);
  const byName: Record<string, unknown> = {};
  infos.forEach((info, i) => {
    byName[info.name] = info.rest ? args.slice(i) : args[i];
  });
  if (!infos.some((info) => info.rest)) {
    for (let i = infos.length; i < args.length; i++) byName[`arg${i}`] = args[i];
  }
  return byName;
}

/** Positional arguments from recorded (or edited) ones by name: the inverse of `argumentsByName`. */
export function argumentsFromNames(fn: Function, byName: Record<string, unknown>): unknown[] {
  const infos = parameterInfo(fn);
  const args: unknown[] = [];
  infos.forEach((info, i) => {
    if (info.rest) args.push(...((byName[info.name] as unknown[] | undefined) ?? []));
    else args[i] = byName[info.name];
  });
  for (const [name, value] of Object.entries(byName)) {
    const extra = EXTRA_ARGUMENT.exec(name);
    if (extra && Number(extra[1]) >= infos.length && !infos.some((info) => info.name === name))
      args[Number(extra[1])] = value;
  }
  return Array.from(args); // holes (parameters recorded as nothing) become undefined
}

/** What to record for a call of `fn` with `args` (see the header). */
export function recordInputs(
  taskName: string,
  fn: Function,
  args: readonly unknown[],
  persistInputs: boolean | undefined,
): RecordedInputs {
  if (persistInputs === false) return { notStoredReason: `task '${taskName}' sets persistInputs: false` };
  let text: string;
  try {
    text = serialize(argumentsByName(fn, args), `Task '${taskName}'`, "inputs", "inputs");
  } catch (error) {
    return { notStoredReason: errorMessage(error) };
  }
  if (text.length > MAX_RECORDED_INPUTS_CHARS) {
    return {
      notStoredReason: `the inputs take ${text.length} characters as text, more than the ${MAX_RECORDED_INPUTS_CHARS} recorded`,
    };
  }
  // The store must never hold a secret in plain text, and a masked copy would not run the same.
  if (containsSecret(text))
    return { notStoredReason: "the inputs hold a secret value (Secret), which is never stored" };
  return { inputs: text };
}

/** Recorded inputs back as values by name. */
export function recordedArguments(inputs: string): Record<string, unknown> {
  return deserialize(inputs) as Record<string, unknown>;
}

/** The task's parameter names, as recorded inputs and `--input NAME=...` name them. */
export function parameterNames(fn: Function): string[] {
  return parameterInfo(fn).map((info) => info.name);
}

/** `args` with the named ones replaced (rerun --input); a name the task does not take is an error naming those it does. */
export function withEditedInputs(
  taskName: string,
  fn: Function,
  args: readonly unknown[],
  edits: Record<string, unknown>,
): unknown[] {
  const byName = argumentsByName(fn, args);
  for (const name of Object.keys(edits)) {
    if (!Object.hasOwn(byName, name))
      throw new ParameterError(unknownInputMessage(taskName, name, Object.keys(byName)));
  }
  return argumentsFromNames(fn, { ...byName, ...edits });
}

export function unknownInputMessage(taskName: string, name: string, known: readonly string[]): string {
  return `Task '${taskName}' has no parameter '${name}'${known.length ? ` (parameters: ${known.join(", ")})` : " (it takes none)"}`;
}

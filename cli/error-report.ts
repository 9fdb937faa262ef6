// How the `skein` command reports an error that ends it: the one-line message (what went wrong, the file or URL,
// what to do) by default, and the stack trace too with the global `--verbose` option or SKEIN_VERBOSE=1. A
// stack of the minified CLI tells a user nothing; it is for bug reports.
import { errorMessage, errorText } from "../engine/errors.ts";

let verboseOption = false;

/** Set from `--verbose` once the command line is parsed. */
export function setVerbose(verbose: boolean): void {
  verboseOption = verbose;
}

export function isVerbose(): boolean {
  return verboseOption || ["1", "true"].includes(process.env.SKEIN_VERBOSE ?? "");
}

/** A CLI failure: its message, or its stack when verbose. */
export function commandErrorText(error: unknown): string {
  return isVerbose() ? errorText(error) : errorMessage(error);
}

/** A flow's failure: `Name: message` (the user's error class says what failed), or its stack when verbose. */
export function flowErrorText(error: unknown): string {
  return isVerbose() || !(error instanceof Error) ? errorText(error) : `${error.name}: ${error.message}`;
}

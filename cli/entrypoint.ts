// `path/to/file.ts:exportName` or `path/to/file.ts:Class.method`: loads the bundled file and finds the flow.
import { pathToFileURL } from "node:url";
import { flowDefinition, type FlowDefinition } from "../engine/flow.ts";
import { type Entrypoint, formatEntrypoint, parseEntrypoint } from "../protocol/entrypoints.ts";

/** The entrypoint of `skein run` (protocol/entrypoints.ts), or an error that shows the expected form. */
export function parseRunEntrypoint(text: string): Entrypoint {
  const entrypoint = parseEntrypoint(text);
  if (!entrypoint)
    throw new Error(`Expected FILE:FLOW (e.g. flows/etl.ts:etl or flows/etl.ts:Pipelines.nightly), got '${text}'`);
  return entrypoint;
}

export interface LoadedFlow {
  definition: FlowDefinition;
  thisArg: unknown;
}

export type FlowModule = Record<string, unknown>;

/** Runs the bundled file's top-level code; what it throws is the user's error, reported like a failed run. */
export async function importFlowFile(bundlePath: string): Promise<FlowModule> {
  return (await import(pathToFileURL(bundlePath).href)) as FlowModule;
}

/** The flow the entrypoint names in the imported file, or an error saying what the file exports instead. */
export function findFlow(module: FlowModule, entrypoint: Entrypoint): LoadedFlow {
  const [exportName, methodName] = entrypoint.exportPath.split(".");
  const exported = module[exportName];
  if (exported === undefined) {
    const flows = Object.keys(module).filter((key) => flowDefinition(module[key]));
    throw new Error(
      `${entrypoint.file} does not export '${exportName}'${flows.length ? ` (flows it exports: ${flows.join(", ")})` : ""}`,
    );
  }
  let target: unknown = exported;
  let thisArg: unknown;
  if (methodName) {
    const owner = exported as { [key: string]: unknown; prototype?: Record<string, unknown> };
    if (flowDefinition(owner[methodName])) target = owner[methodName];
    else if (owner.prototype && flowDefinition(owner.prototype[methodName])) {
      thisArg = new (owner as unknown as new () => unknown)();
      target = owner.prototype[methodName];
    } else target = undefined;
  }
  const definition = flowDefinition(target);
  if (!definition) throw new Error(`${formatEntrypoint(entrypoint)} is not a flow (declare it with flow() or @flow)`);
  return { definition, thisArg };
}

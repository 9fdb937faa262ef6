// Custom messages between the language server and the extension, and the arguments the code lenses carry.
// Each message is one typed NotificationType/RequestType object (as vscode-eslint does), so both ends and the
// tests agree on its method name and its parameters; the language server builds the lenses, the extension runs
// their commands.
import { NotificationType, NotificationType0, RequestType, RequestType0 } from "vscode-languageserver-protocol";

/** JSON Schema (draft 2020-12 subset) of a flow's parameters, generated from its TypeScript signature. */
export type ParameterSchema = {
  type: "object";
  properties: Record<string, unknown>;
  required?: string[];
  /** Parameters whose TypeScript type has no JSON Schema form, with the reason. */
  unsupported?: { name: string; reason: string }[];
};

/** What a flow lens hands to the extension's commands. */
export interface FlowLensArgs {
  /** Absolute path of the file that declares the flow. */
  file: string;
  /** `exportName` or `Class.method`, as in `file.ts:exportName` entrypoints. */
  exportPath: string;
  /** The flow's name (options.name, else the function or method name). */
  flowName: string;
  parameterSchema: ParameterSchema;
  /** `relative/path.ts:exportPath`, relative to the workspace folder that holds the file (else the file's name). */
  entrypoint: string;
}

/** Command ids the language server puts on code lenses; the extension registers each. */
export const LensCommands = {
  run: "skein.runFlow",
  debug: "skein.debugFlow",
  runWithParameters: "skein.runFlowWithParameters",
  debugWithParameters: "skein.debugFlowWithParameters",
  deploy: "skein.deployFlow",
} as const;

/**
 * Sent by the language server when its workspace scan is finished, and again after each workspace folder change
 * (whose added folders it scans). The extension does not listen: the integration tests and the benches use it to
 * know when the index is complete.
 */
export const IndexReadyNotification = new NotificationType<IndexReadyParams>("skein/indexReady");
export interface IndexReadyParams {
  /** TypeScript files seen in the workspace. */
  files: number;
  flows: number;
  tasks: number;
  skeinYamlFiles: number;
}

/** Request: every exported flow the language server knows. No params. Used by the integration tests to read the index. */
export const ListFlowsRequest = new RequestType0<ListFlowsResult, void>("skein/listFlows");
export type ListFlowsResult = FlowLensArgs[];

/**
 * Sent by the extension when a flow run it started ends: for each task the flow run called, by run-time name, the
 * final state of its last task run. The language server shows them over the task declarations the flow calls.
 */
export const TaskRunStatesNotification = new NotificationType<TaskRunStatesParams>("skein/taskRunStates");
export interface TaskRunStatesParams {
  /** Absolute path of the file that declares the flow (FlowLensArgs.file). */
  flowFile: string;
  /** FlowLensArgs.exportPath. */
  flowExportPath: string;
  states: TaskRunStateEntry[];
}
export interface TaskRunStateEntry {
  /** The task's run-time name (options.name, else the function or method name). */
  taskName: string;
  /** E.g. { type: "COMPLETED", name: "Cached", timestamp: "2026-11-21T09:00:00.000Z" }. */
  state: { type: string; name: string; timestamp: string };
}

/**
 * Request: where the tasks of one open document sit, so the editor can put each task's latest run next to its
 * definition and next to every call of it. Calls resolve across files (an imported task), as the index resolves them.
 */
export const TaskSitesRequest = new RequestType<TaskSitesParams, TaskSite[], void>("skein/taskSites");
export interface TaskSitesParams {
  uri: string;
}
export interface TaskSite {
  kind: "definition" | "call";
  /** The task's run-time name (options.name, else the function or method name), as its task runs record it. */
  taskName: string;
  /** Absolute path of the file that declares the task (another file for an imported task's call). */
  declarationFile: string;
  /** 0-based line of the task's declared name in declarationFile. */
  declarationLine: number;
  /** 0-based line of this site in the requested document. */
  line: number;
}

/**
 * Sent by the extension after it created a work pool (the Deploy lens's offer): the language server forgets the
 * pool names it had from the server and checks the skein.yaml files again, so "no work pool named ..." goes at once
 * instead of after its cache expires.
 */
export const WorkPoolsChangedNotification = new NotificationType0("skein/workPoolsChanged");

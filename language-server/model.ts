// What the language server knows about one TypeScript file: the flows and tasks it declares, read from syntax.
import type { Range } from "vscode-languageserver";
import type { ParameterSchema } from "../protocol/lsp.ts";

/** An option value read from source: `value` is set only when the source is a plain literal. */
export interface OptionValue {
  value?: unknown;
  text: string;
  range: Range;
}

export interface ParameterInfo {
  name: string;
  typeText?: string;
  optional: boolean;
  defaultText?: string;
  range: Range;
  /** Why this parameter cannot be sent to a run in another process (a function, a class instance), if so. */
  notSerializable?: string;
}

/** A call inside a flow body (or at module top level) to something that may be a task. */
export interface CallReference {
  /** Local identifier called (`extract`), or `Class.method` for decorated methods. */
  localName: string;
  range: Range;
}

export interface Declaration {
  kind: "flow" | "task";
  /** The run-time name: options.name when it is a literal, else the variable or method name. */
  name: string;
  /** The identifier in the file (`hello`, or `Pipelines.nightly` for methods). */
  localName: string;
  /** `exportName` or `Class.method` when reachable from outside the file, else undefined. */
  exportPath?: string;
  options: Record<string, OptionValue>;
  parameters: ParameterInfo[];
  parameterSchema: ParameterSchema;
  returnType?: string;
  /** Where the declared name sits (lens, symbol, hover and duplicate-name diagnostics use it). */
  nameRange: Range;
  /** The range of the `name` option's value when given, else nameRange. */
  flowNameRange: Range;
  /** Calls made in the function body, resolved to tasks by the workspace index. */
  calls: CallReference[];
}

/** A binding imported from another module of the workspace (`import { extract } from "./tasks"`). */
export interface ImportedBinding {
  module: string;
  importedName: string;
}

export interface LocalDiagnostic {
  range: Range;
  message: string;
  severity: "error" | "warning" | "information";
  code: string;
}

export interface FileAnalysis {
  file: string;
  declarations: Declaration[];
  imports: Map<string, ImportedBinding>;
  /** Calls made outside every function body (they run at import time, so outside any flow). */
  topLevelCalls: CallReference[];
  /** Diagnostics that depend on this file alone (options, templates). */
  diagnostics: LocalDiagnostic[];
  /** Other files whose type declarations went into parameter schemas: when one changes, so may the schemas. */
  typeDependencies: string[];
}

export const emptyAnalysis = (file: string): FileAnalysis => ({
  file,
  declarations: [],
  imports: new Map(),
  topLevelCalls: [],
  diagnostics: [],
  typeDependencies: [],
});

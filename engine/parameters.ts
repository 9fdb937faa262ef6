// A flow's parameters: names read from the function's source, binding positional arguments to names and back,
// and validation: against the flow's JSON Schema with Ajv, or else against the types of literal defaults.
import { ParameterError } from "./errors.ts";

export interface ParameterInfo {
  name: string;
  rest: boolean;
  /** The JSON type a literal default value implies, when there is one. */
  defaultType?: "string" | "number" | "boolean" | "array" | "object";
  /** A default that is a plain string, number or boolean literal, so recorded parameters and run names show it. */
  defaultValue?: string | number | boolean;
}

export type JsonSchema = Record<string, unknown>;

const cache = new WeakMap<Function, ParameterInfo[]>();

export function parameterInfo(fn: Function): ParameterInfo[] {
  let info = cache.get(fn);
  if (!info) {
    info = splitParameters(parameterListSource(fn.toString())).map(describeParameter);
    cache.set(fn, info);
  }
  return info;
}

/** The text between the parentheses of a function's parameter list (or the bare parameter of `x => ...`). */
function parameterListSource(source: string): string {
  const bareArrow = /^(?:async\s+)?([\w$]+)\s*=>/.exec(source);
  if (bareArrow) return bareArrow[1];
  const open = source.indexOf("(");
  if (open < 0) return "";
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === "'" || c === '"' || c === "`") i = skipString(source, i);
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return source.slice(open + 1, i);
    }
  }
  return "";
}

function skipString(source: string, start: number): number {
  const quote = source[start];
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === quote) return i;
  }
  return source.length;
}

function splitParameters(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === "'" || c === '"' || c === "`") i = skipString(list, i);
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.map((p) => p.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "").trim()).filter(Boolean);
}

function describeParameter(part: string, index: number): ParameterInfo {
  const rest = part.startsWith("...");
  const body = rest ? part.slice(3).trim() : part;
  const equals = topLevelEquals(body);
  const target = (equals < 0 ? body : body.slice(0, equals)).trim();
  const name = /^[\w$]+$/.test(target) ? target : `arg${index}`;
  const info: ParameterInfo = { name, rest };
  if (equals >= 0) {
    const literal = body.slice(equals + 1).trim();
    const type = literalType(literal);
    if (type) info.defaultType = type;
    const value = literalValue(literal, type);
    if (value !== undefined) info.defaultValue = value;
  }
  return info;
}

function topLevelEquals(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === "`") i = skipString(text, i);
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "=" && depth === 0 && text[i + 1] !== ">") return i;
  }
  return -1;
}

function literalType(literal: string): ParameterInfo["defaultType"] {
  if (/^(['"`]).*\1$/s.test(literal)) return "string";
  if (/^-?\d[\d_]*(\.\d+)?(e[+-]?\d+)?$/i.test(literal)) return "number";
  if (literal === "true" || literal === "false") return "boolean";
  if (literal.startsWith("[")) return "array";
  if (literal.startsWith("{")) return "object";
  return undefined;
}

function literalValue(literal: string, type: ParameterInfo["defaultType"]): string | number | boolean | undefined {
  if (type === "number") return Number(literal.replaceAll("_", ""));
  if (type === "boolean") return literal === "true";
  if (type === "string" && !literal.startsWith("`")) {
    const body = literal.slice(1, -1);
    // Escapes aside, a quoted literal is its own text; leave escaped ones out rather than guess.
    return body.includes("\\") ? undefined : body;
  }
  return undefined;
}

export function bindParameters(fn: Function, args: readonly unknown[]): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  parameterInfo(fn).forEach((info, i) => {
    if (info.rest) parameters[info.name] = args.slice(i);
    else if (args[i] !== undefined) parameters[info.name] = args[i];
    else if (info.defaultValue !== undefined) parameters[info.name] = info.defaultValue;
  });
  return parameters;
}

/** Positional arguments from named parameters (CLI `--param`, deployments); an unknown name is an error. */
export function argumentsFromParameters(
  fn: Function,
  flowName: string,
  parameters: Record<string, unknown>,
): unknown[] {
  const infos = parameterInfo(fn);
  const known = new Set(infos.map((info) => info.name));
  for (const name of Object.keys(parameters)) {
    if (!known.has(name)) {
      throw new ParameterError(
        `Flow '${flowName}' has no parameter '${name}'${known.size ? ` (parameters: ${[...known].join(", ")})` : " (it takes none)"}`,
      );
    }
  }
  const args: unknown[] = [];
  infos.forEach((info, i) => {
    if (info.rest) args.push(...((parameters[info.name] as unknown[]) ?? []));
    else args[i] = parameters[info.name];
  });
  return args;
}

function jsonType(value: unknown): string {
  return Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
}

/**
 * Without a schema, a parameter with a literal default must have that default's JSON type. Checked by hand, so
 * a run does not pay for loading and compiling Ajv (about 65 ms measured) unless it has a schema.
 */
export function checkDefaultTypes(flowName: string, fn: Function, parameters: Record<string, unknown>): void {
  const problems = parameterInfo(fn).flatMap((info) => {
    const value = parameters[info.name];
    if (!info.defaultType || value === undefined || jsonType(value) === info.defaultType) return [];
    return [`parameter '${info.name}' must be ${info.defaultType} (like its default), got ${jsonType(value)}`];
  });
  if (problems.length) throw new ParameterError(`Invalid parameters for flow '${flowName}': ${problems.join("; ")}`);
}

/** Keywords that no object lacking every property can break (unless `required` names one). */
const KEYWORDS_AN_EMPTY_OBJECT_MEETS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "$schema",
  "$id",
  "$comment",
  "title",
  "description",
  "default",
  "examples",
]);

/** True when `{}` is valid against the schema for sure, so no validator is needed to say so. */
function acceptsNoParameters(schema: JsonSchema): boolean {
  return (
    (schema.type === undefined || schema.type === "object") &&
    !(schema.required as unknown[] | undefined)?.length &&
    Object.keys(schema).every((keyword) => KEYWORDS_AN_EMPTY_OBJECT_MEETS.has(keyword))
  );
}

/** Checks parameters against the schema; the error names each bad parameter. Ajv loads only when needed. */
export async function validateParameters(
  flowName: string,
  schema: JsonSchema,
  parameters: Record<string, unknown>,
): Promise<void> {
  // undefined means "use the default": JSON Schema has no undefined, so leave those out.
  const defined = Object.fromEntries(Object.entries(parameters).filter(([, value]) => value !== undefined));
  // Loading and compiling Ajv costs tens of milliseconds at every `skein run`; a run with no parameters rarely needs it.
  if (Object.keys(defined).length === 0 && acceptsNoParameters(schema)) return;
  const { parameterValidator, parameterErrorLines } = await import("../protocol/parameter-validation.ts");
  const validate = parameterValidator(schema);
  if (validate(defined)) return;
  const problems = parameterErrorLines(validate.errors);
  throw new ParameterError(`Invalid parameters for flow '${flowName}': ${problems.join("; ")}`);
}

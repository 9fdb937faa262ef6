// Checks on the options object of a flow or task: values outside Prefect's limits, which the engine does not
// reject (it clamps or ignores them) but which are almost certainly mistakes, and run-name templates that name
// parameters the function does not have. The editor flags them; nothing here changes what a run does.
import { ts } from "ts-morph";
import type { LocalDiagnostic } from "./model.ts";
import { literalValue, propertyName } from "./parameter-schema.ts";
import { nodeRange, rangeOf } from "./source-ranges.ts";

const maxRetryDelays = 50;

export function checkOptions(
  sourceFile: ts.SourceFile,
  kind: "flow" | "task",
  options: ts.ObjectLiteralExpression,
  parameterNames: string[] | undefined,
): LocalDiagnostic[] {
  const diagnostics: LocalDiagnostic[] = [];
  const report = (node: ts.Node, message: string, code: string) =>
    diagnostics.push({ range: nodeRange(sourceFile, node), message, severity: "error", code });

  for (const property of options.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = propertyName(property.name);
    const initializer = property.initializer;
    const value = literalValue(initializer);
    switch (name) {
      case "retries":
        if (typeof value === "number" && (value < 0 || !Number.isInteger(value))) {
          report(
            initializer,
            `retries must be a whole number ≥ 0 (got ${value}); use 0 for no retries`,
            "invalid-retries",
          );
        }
        break;
      case "retryDelaySeconds":
        if (ts.isArrayLiteralExpression(initializer) && initializer.elements.length > maxRetryDelays) {
          report(
            initializer,
            `retryDelaySeconds lists ${initializer.elements.length} delays; at most ${maxRetryDelays} are allowed (the last one repeats, so shorten the list)`,
            "too-many-retry-delays",
          );
        }
        for (const delay of ts.isArrayLiteralExpression(initializer) ? initializer.elements : [initializer]) {
          const seconds = literalValue(delay);
          if (typeof seconds === "number" && seconds < 0)
            report(
              delay,
              `a retry delay cannot be negative (got ${seconds}); use 0 to retry at once`,
              "negative-retry-delay",
            );
        }
        break;
      case "retryJitterFactor":
        if (typeof value === "number" && value < 0) {
          report(initializer, `retryJitterFactor must be ≥ 0 (got ${value}); use 0 for no jitter`, "invalid-jitter");
        }
        break;
      case "timeoutSeconds":
        if (typeof value === "number" && value <= 0) {
          report(
            initializer,
            `timeoutSeconds must be greater than 0 (got ${value}); remove the option for no timeout`,
            "invalid-timeout",
          );
        }
        break;
      case "flowRunName":
      case "taskRunName":
        if (parameterNames && ts.isStringLiteralLike(initializer)) {
          diagnostics.push(...checkTemplate(sourceFile, initializer, parameterNames, kind));
        }
        break;
    }
  }
  return diagnostics;
}

/** `"load-{date}"`: every `{name}` must be one of the function's parameters. */
function checkTemplate(
  sourceFile: ts.SourceFile,
  literal: ts.StringLiteralLike,
  parameterNames: string[],
  kind: "flow" | "task",
): LocalDiagnostic[] {
  const diagnostics: LocalDiagnostic[] = [];
  const raw = literal.getText(sourceFile);
  const start = literal.getStart(sourceFile);
  // The engine's rule: every `{...}` without nested braces is a placeholder, trimmed.
  for (const match of raw.matchAll(/\{([^{}]+)\}/g)) {
    const name = match[1].trim();
    if (parameterNames.includes(name)) continue;
    const known = parameterNames.length
      ? `its parameters are ${parameterNames.map((p) => `{${p}}`).join(", ")}`
      : "it takes no parameters";
    diagnostics.push({
      range: rangeOf(sourceFile, start + match.index!, start + match.index! + match[0].length),
      message: `The run-name template names {${name}}, but this ${kind} has no parameter '${name}': ${known}`,
      severity: "error",
      code: "unknown-template-parameter",
    });
  }
  return diagnostics;
}

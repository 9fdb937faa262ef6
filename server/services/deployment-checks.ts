// What the deployment body schemas cannot check: cron expressions, rrules, IANA time zones, anchor dates and unique
// schedule slugs (the rules of protocol/schedules.ts), and, when a deployment enforces its parameter schema, that
// its parameters fit it. Each problem is one line naming the field, answered 422 by the routes.
import { closedParameterSchema, parameterValidator } from "../../protocol/parameter-validation.ts";
import { duplicateSlug, scheduleProblems } from "../../protocol/schedules.ts";
import type { DeploymentSchedule } from "../../store/types.ts";

/** The first problem of a deployment's schedules (protocol/schedules.ts, as the editor checks them), or undefined. */
export function scheduleProblem(schedules: readonly DeploymentSchedule[]): string | undefined {
  for (const [index, schedule] of schedules.entries()) {
    const [first] = scheduleProblems(schedule);
    if (first) return `schedules[${index}].${first.field}: ${first.message}`;
  }
  const duplicate = duplicateSlug(schedules);
  if (duplicate)
    return `schedules[${duplicate.index}].slug: '${duplicate.slug}' is already the slug of schedules[${duplicate.firstIndex}]; slugs are unique per deployment`;
  return undefined;
}

/**
 * The first problem of a parameter schema, or of the parameters a deployment sets (its own and its schedules')
 * against it. Required parameters are not demanded here, as in Prefect: a run may still supply them; a name the
 * schema does not list is refused, as the run of it would be.
 */
export function parameterProblem(
  schema: Record<string, unknown> | null | undefined,
  enforce: boolean,
  parameterSets: readonly { where: string; parameters: Record<string, unknown> }[],
): string | undefined {
  if (!schema) return undefined;
  const withoutRequired = { ...closedParameterSchema(schema), required: [] };
  try {
    const validate = parameterValidator(withoutRequired);
    if (!enforce) return undefined;
    for (const { where, parameters } of parameterSets) {
      if (!validate(parameters)) {
        const [first] = validate.errors ?? [];
        const unknown = first?.keyword === "additionalProperties" ? `/${first.params.additionalProperty}` : "";
        return `${where}${first?.instancePath ?? ""}${unknown} does not fit the parameter schema: ${unknown ? "the flow has no such parameter" : (first?.message ?? "invalid")}`;
      }
    }
    return undefined;
  } catch (error) {
    return `parameterSchema is not a valid JSON Schema: ${(error as Error).message}`;
  }
}

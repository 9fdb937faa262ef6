// Schedules in skein.yaml: cron expressions, rrules and time zones that the server would refuse (the rules of
// protocol/schedules.ts), located on their field, and `schedule` given alongside `schedules`.
import { Diagnostic, DiagnosticSeverity } from "vscode-languageserver";
import { scheduleProblems, timeZoneNames } from "../../protocol/schedules.ts";
import { closestNames, didYouMeanText } from "../closest-names.ts";
import { withReplacements } from "../quick-fixes.ts";
import type { DeploymentEntry, SkeinYamlDocument } from "./skein-yaml-document.ts";

const sentence = (text: string): string => text[0].toUpperCase() + text.slice(1);

export function scheduleDiagnostics(yaml: SkeinYamlDocument, deployment: DeploymentEntry): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const base = ["deployments", deployment.index];
  const { schedule, schedules } = deployment.value;
  if (schedule != null && schedules != null) {
    diagnostics.push(
      Diagnostic.create(
        yaml.rangeOfNode(yaml.keyAt([...base, "schedule"])),
        "Both `schedule` and `schedules` are set; move this schedule into the `schedules` list and remove `schedule`",
        DiagnosticSeverity.Error,
        "schedule-and-schedules",
        "skein",
      ),
    );
  }
  const located: { value: unknown; path: (string | number)[] }[] = [];
  if (schedule != null) located.push({ value: schedule, path: [...base, "schedule"] });
  if (Array.isArray(schedules))
    schedules.forEach((value, i) => located.push({ value, path: [...base, "schedules", i] }));

  for (const { value, path } of located) {
    if (!value || typeof value !== "object") continue;
    for (const { field, message } of scheduleProblems(value)) {
      // An unknown time zone gets the closest known names, as text and as quick fixes.
      const close =
        field === "timezone" ? closestNames(String((value as { timezone: unknown }).timezone), timeZoneNames()) : [];
      const text = close.length ? `${sentence(message)}.${didYouMeanText(close)}` : sentence(message);
      const range = yaml.rangeOfNode(yaml.nodeAt([...path, field]));
      diagnostics.push(
        withReplacements(Diagnostic.create(range, text, DiagnosticSeverity.Error, `invalid-${field}`, "skein"), close),
      );
    }
  }
  return diagnostics;
}

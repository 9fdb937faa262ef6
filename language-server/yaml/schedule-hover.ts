// Hover over a schedule in skein.yaml: the next five fire times in the schedule's time zone, a note on any that
// falls at a daylight-saving change, the cron pattern in words and the cron dialect that reads it
// (protocol/schedule-preview.ts, the scheduler's own reading), so a schedule can be seen before it fires.
import type { Hover, Position } from "vscode-languageserver";
import { previewSchedule } from "../../protocol/schedule-preview.ts";
import type { Range } from "../../protocol/skein-yaml/document.ts";
import { readSkeinYaml } from "../../protocol/skein-yaml/model.ts";

const contains = (range: Range, position: Position): boolean =>
  (position.line > range.start.line ||
    (position.line === range.start.line && position.character >= range.start.character)) &&
  (position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character));

export function scheduleHover(file: string, text: string, position: Position, now = new Date()): Hover | null {
  const model = readSkeinYaml(file, text);
  for (const deployment of model.deployments) {
    for (const schedule of deployment.schedules) {
      const range = model.document.rangeOfNode(model.document.nodeAt(schedule.path));
      if (!contains(range, position)) continue;
      const preview = previewSchedule(schedule, now);
      if (!preview) return null; // the diagnostics on the schedule say what is wrong
      const lines = [
        preview.words ? `**${preview.words}** (${preview.timeZone})` : `**Schedule** (${preview.timeZone})`,
        "",
        `Next ${preview.fireTimes.length} runs:`,
        "",
        ...preview.fireTimes.map((fire) => `- ${fire.local}${fire.dstNote ? ` — ⚠ ${fire.dstNote}` : ""}`),
      ];
      if (preview.dialect) lines.push("", `_${preview.dialect}_`);
      return { contents: { kind: "markdown", value: lines.join("\n") }, range };
    }
  }
  return null;
}

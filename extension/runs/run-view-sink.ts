// The seam between run sessions and the run views (the webview panels, one per run: RunViewPanels): sessions open
// the view of the flow run they started once its id is known, and hand it every event batch; the views route events
// to their run.
import type { RunEvent } from "../../protocol/run-events.ts";

export interface RunViewSink {
  open(flowRunId: string): void;
  addEvents(events: RunEvent[]): void;
}

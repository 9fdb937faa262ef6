// PLACEHOLDER REPLACED AT INTEGRATION: the real ArtifactView (markdown with DOMPurify, tables, progress, images)
// comes from the logs helper's branch. This stand-in keeps the API the run view shell calls and lists artifacts.
import type { RunSnapshot } from "../../protocol/run-snapshot.ts";

export class ArtifactView {
  private readonly list = document.createElement("ol");

  constructor(
    container: HTMLElement,
    readonly options: { onOpenLink?(url: string): void; onSelectTask?(taskRunId: string): void },
  ) {
    this.list.className = "placeholder-artifacts";
    container.append(this.list);
  }

  update(snapshot: RunSnapshot): void {
    const items = Object.values(snapshot.artifacts).map((artifact) => {
      const item = document.createElement("li");
      item.textContent = `${artifact.key ?? artifact.id} (${artifact.type}): ${JSON.stringify(artifact.data)}`;
      return item;
    });
    this.list.replaceChildren(...items);
  }

  dispose(): void {
    this.list.remove();
  }
}

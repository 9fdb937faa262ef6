// A table artifact as DOM: a header whose cells sort the rows (ascending, descending, the artifact's order), and a
// body that draws every row of a small table but only the visible rows of a large one (@tanstack/virtual-core), so
// a 100,000-row table opens as fast as a 10-row one. Cells are text (textContent), whatever the run put in them.
import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from "@tanstack/virtual-core";
import { cellText, nextSort, type SortDirection, sortedRowOrder, type TableModel, tableModel } from "./table-model.ts";

/** Tables with more rows than this draw only what is visible. */
export const VIRTUALISE_ABOVE_ROWS = 500;
const ROW_HEIGHT = 24;

export class TableView {
  readonly element = document.createElement("div");
  private readonly header = document.createElement("div");
  private readonly body = document.createElement("div");
  private readonly canvas = document.createElement("div");
  private model: TableModel = { columns: [], rows: [] };
  private order: number[] = [];
  private sort: { column: number; direction: SortDirection } | undefined;
  private virtualizer: Virtualizer<HTMLDivElement, HTMLDivElement> | undefined;
  private unmount: (() => void) | undefined;

  constructor(data: unknown) {
    this.element.className = "artifact-table";
    this.element.setAttribute("role", "table");
    this.header.className = "artifact-table-row artifact-table-header";
    this.header.setAttribute("role", "row");
    this.body.className = "artifact-table-body";
    this.body.setAttribute("role", "rowgroup");
    this.canvas.className = "artifact-table-canvas";
    this.body.append(this.canvas);
    this.element.append(this.header, this.body);
    this.header.addEventListener("click", (event) => {
      const cell = (event.target as Element).closest<HTMLElement>("[data-column]");
      if (!cell) return;
      this.sort = nextSort(this.sort, Number(cell.dataset.column));
      this.applySort();
    });
    this.setData(data);
  }

  setData(data: unknown): void {
    this.model = tableModel(data);
    this.element.style.setProperty("--artifact-table-columns", String(Math.max(1, this.model.columns.length)));
    this.element.dataset.rows = String(this.model.rows.length);
    if (this.sort && this.sort.column >= this.model.columns.length) this.sort = undefined;
    this.applySort();
  }

  dispose(): void {
    this.unmount?.();
  }

  private applySort(): void {
    const { rows } = this.model;
    this.order = this.sort ? sortedRowOrder(rows, this.sort.column, this.sort.direction) : rows.map((_, i) => i);
    this.renderHeader();
    if (rows.length > VIRTUALISE_ABOVE_ROWS) this.renderVirtualised();
    else {
      this.unmount?.();
      this.unmount = this.virtualizer = undefined;
      this.body.classList.remove("virtualised");
      this.canvas.style.height = "";
      this.canvas.replaceChildren(...this.order.map((index) => this.buildRow(index)));
    }
  }

  private renderHeader(): void {
    this.header.replaceChildren(
      ...this.model.columns.map((name, column) => {
        const cell = document.createElement("div");
        cell.className = "artifact-table-cell";
        cell.setAttribute("role", "columnheader");
        cell.tabIndex = 0;
        cell.dataset.column = String(column);
        const direction = this.sort?.column === column ? this.sort.direction : undefined;
        cell.setAttribute("aria-sort", direction ?? "none");
        cell.textContent = `${name}${direction === "ascending" ? " ▲" : direction === "descending" ? " ▼" : ""}`;
        cell.title = `Sort by ${name}`;
        cell.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") cell.click();
        });
        return cell;
      }),
    );
  }

  private renderVirtualised(): void {
    this.body.classList.add("virtualised");
    if (!this.virtualizer) {
      this.virtualizer = new Virtualizer<HTMLDivElement, HTMLDivElement>({
        count: this.order.length,
        getScrollElement: () => this.body,
        estimateSize: () => ROW_HEIGHT,
        overscan: 10,
        observeElementRect,
        observeElementOffset,
        scrollToFn: elementScroll,
        onChange: () => this.drawVisibleRows(),
      });
      this.unmount = this.virtualizer._didMount();
    }
    this.virtualizer.setOptions({ ...this.virtualizer.options, count: this.order.length });
    this.virtualizer._willUpdate();
    this.drawVisibleRows();
  }

  private drawVisibleRows(): void {
    if (!this.virtualizer) return;
    this.canvas.style.height = `${this.virtualizer.getTotalSize()}px`;
    this.canvas.replaceChildren(
      ...this.virtualizer.getVirtualItems().map((item) => {
        const row = this.buildRow(this.order[item.index]);
        row.style.transform = `translateY(${item.start}px)`;
        return row;
      }),
    );
  }

  private buildRow(index: number): HTMLDivElement {
    const row = document.createElement("div");
    row.className = "artifact-table-row";
    row.setAttribute("role", "row");
    const cells = this.model.rows[index];
    for (let column = 0; column < this.model.columns.length; column++) {
      const cell = document.createElement("div");
      cell.className = "artifact-table-cell";
      cell.setAttribute("role", "cell");
      const text = cellText(cells[column]);
      cell.textContent = text;
      cell.title = text;
      row.append(cell);
    }
    return row;
  }
}

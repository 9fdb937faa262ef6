// A table artifact's data as columns and rows of cells, whatever shape the run gave (rows as objects, or arrays
// with `columns` naming them; see createTableArtifact), and the order its rows take when sorted by a column.
// Pure, so sorting is tested without a browser.

export interface TableModel {
  columns: string[];
  rows: unknown[][];
}

export type SortDirection = "ascending" | "descending";

/** Columns and rows of a table artifact's `data`; anything unexpected becomes an empty table, never an error. */
export function tableModel(data: unknown): TableModel {
  const source = (data ?? {}) as { columns?: unknown; rows?: unknown };
  const rows = Array.isArray(source.rows) ? source.rows : Array.isArray(data) ? data : [];
  const given = Array.isArray(source.columns) ? source.columns.map(String) : undefined;
  if (rows.every(Array.isArray)) {
    const width = Math.max(given?.length ?? 0, ...rows.map((row: unknown[]) => row.length));
    const columns = Array.from({ length: width }, (_, index) => given?.[index] ?? String(index + 1));
    return { columns, rows: rows as unknown[][] };
  }
  // Rows as objects: the columns are the given ones, else every key in the order first seen.
  const keys = new Set<string>(given);
  if (!given) for (const row of rows) if (isRecord(row)) for (const key of Object.keys(row)) keys.add(key);
  const columns = [...keys];
  return {
    columns,
    rows: rows.map((row: unknown) =>
      isRecord(row) ? columns.map((column) => row[column]) : columns.map((_, index) => (index === 0 ? row : "")),
    ),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How a cell reads: strings as they are, numbers and booleans as text, objects as JSON, nothing as "". */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Numbers before text, numbers by value, text in natural order; empty cells last in either direction. */
function compareCells(a: unknown, b: unknown): number {
  const aNumber = typeof a === "number" ? a : Number.NaN;
  const bNumber = typeof b === "number" ? b : Number.NaN;
  if (!Number.isNaN(aNumber) && !Number.isNaN(bNumber)) return aNumber - bNumber;
  if (!Number.isNaN(aNumber)) return -1;
  if (!Number.isNaN(bNumber)) return 1;
  return collator.compare(cellText(a), cellText(b));
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

/** Row indices in display order for a sort by `column` (stable: equal cells keep the artifact's order). */
export function sortedRowOrder(rows: readonly unknown[][], column: number, direction: SortDirection): number[] {
  const order = rows.map((_, index) => index);
  const sign = direction === "ascending" ? 1 : -1;
  return order.sort((a, b) => {
    const [left, right] = [rows[a][column], rows[b][column]];
    if (isEmpty(left) || isEmpty(right)) return isEmpty(left) === isEmpty(right) ? a - b : isEmpty(left) ? 1 : -1;
    return sign * compareCells(left, right) || a - b;
  });
}

/** The next sort when a column's header is clicked: ascending, descending, then the artifact's own order. */
export function nextSort(
  current: { column: number; direction: SortDirection } | undefined,
  column: number,
): { column: number; direction: SortDirection } | undefined {
  if (current?.column !== column) return { column, direction: "ascending" };
  return current.direction === "ascending" ? { column, direction: "descending" } : undefined;
}

/**
 * The gradebook CSV's layout, written by the grader and read back by the extension (the gradebook panel is
 * rebuilt from the files on disk after a window reload). One module for both ends, so the writer and the
 * reader cannot drift apart. Pure: no Node imports.
 *
 * Columns: `submission`, one per test id of the key, `total`, `max_total`, `status`. `status` is `graded`;
 * `cancelled` for a submission a cancelled run stopped before it finished; or `pending` for one the run had
 * not finished when the file was written: the grader rewrites the file as each submission finishes, so a
 * grader that was killed (a window reload kills it with the extension host) leaves `pending` rows, and a
 * finished run has none. A row that is not `graded` has empty score cells (an empty cell is skipped by a
 * spreadsheet's SUM and AVERAGE, a 0 would not be). Files written before the `status` column existed are
 * read as all `graded`.
 */
import { isBlankRecord, splitCsvRecords } from './csvRecords';

export const CSV_STATUSES = ['graded', 'cancelled', 'pending'] as const;
export type CsvStatus = (typeof CSV_STATUSES)[number];

export interface CsvRow {
  name: string;
  status: CsvStatus;
  /** One per test id, in the header's order; empty for a submission that is not graded. */
  scores: readonly number[];
  total?: number;
  maxTotal: number;
}

export interface CsvGradebook {
  testIds: string[];
  rows: CsvRow[];
}

const FIXED_TAIL = ['total', 'max_total'] as const;
const STATUS_COLUMN = 'status';

export function formatGradebookCsv(testIds: readonly string[], rows: readonly CsvRow[]): string {
  const header = ['submission', ...testIds, ...FIXED_TAIL, STATUS_COLUMN];
  const lines = rows.map((r) => [
    r.name,
    ...(r.status === 'graded' ? r.scores.map(String) : testIds.map(() => '')),
    r.status === 'graded' && r.total !== undefined ? String(r.total) : '',
    String(r.maxTotal),
    r.status,
  ]);
  return [header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';
}

export type ParsedCsv = { ok: true; gradebook: CsvGradebook } | { ok: false; reason: string };

/** Reads a gradebook CSV; the reason names the line and the column that is wrong. */
export function parseGradebookCsv(text: string): ParsedCsv {
  const split = splitCsvRecords(text);
  if (!split.ok) return { ok: false, reason: `line ${split.unclosedQuoteLine} has a quote that is never closed` };
  const [head, ...body] = split.records.filter((r) => !isBlankRecord(r));
  if (!head || head.cells[0] !== 'submission') return { ok: false, reason: 'line 1 is not a gradebook header (it must start with "submission")' };
  const hasStatus = head.cells[head.cells.length - 1] === STATUS_COLUMN;
  const tailAt = head.cells.length - FIXED_TAIL.length - (hasStatus ? 1 : 0);
  if (tailAt < 1 || head.cells[tailAt] !== 'total' || head.cells[tailAt + 1] !== 'max_total') {
    return { ok: false, reason: 'line 1 has no "total" and "max_total" columns after the test columns' };
  }
  const testIds = head.cells.slice(1, tailAt);
  const rows: CsvRow[] = [];
  for (const { line, cells } of body) {
    if (cells.length !== head.cells.length) return { ok: false, reason: `line ${line} has ${cells.length} cells; the header has ${head.cells.length}` };
    const name = csvCellValue(cells[0]!);
    if (!name) return { ok: false, reason: `line ${line} has no submission name` };
    const status = hasStatus ? cells[cells.length - 1]! : 'graded';
    if (!isCsvStatus(status)) return { ok: false, reason: `line ${line}: status "${status}" is not one of ${CSV_STATUSES.join(', ')}` };
    const maxTotal = Number(cells[tailAt + 1]);
    if (cells[tailAt + 1] === '' || !Number.isFinite(maxTotal)) return { ok: false, reason: `line ${line}: max_total "${cells[tailAt + 1]}" is not a number` };
    if (status !== 'graded') {
      rows.push({ name, status, scores: [], maxTotal });
      continue;
    }
    const numbers = cells.slice(1, tailAt + 1).map(Number);
    const bad = numbers.findIndex((n, i) => cells[i + 1] === '' || !Number.isFinite(n));
    if (bad >= 0) return { ok: false, reason: `line ${line}: ${head.cells[bad + 1]} "${cells[bad + 1]}" is not a number` };
    rows.push({ name, status, scores: numbers.slice(0, -1), total: numbers[numbers.length - 1]!, maxTotal });
  }
  return { ok: true, gradebook: { testIds, rows } };
}

function isCsvStatus(value: string): value is CsvStatus {
  return (CSV_STATUSES as readonly string[]).includes(value);
}

/** A leading =, +, - or @ would run as a formula in a spreadsheet; submission names come from students. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) && Number.isNaN(Number(value)) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The inverse of `csvCell`'s formula guard (the quotes are already gone). */
function csvCellValue(cell: string): string {
  return /^'[=+\-@]/.test(cell) && Number.isNaN(Number(cell.slice(1))) ? cell.slice(1) : cell;
}

import { LabError } from '../core/labError';

export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  /** Raw cells; row i of `rows` is line i + 2 of the file. */
  readonly rows: readonly (readonly string[])[];
}

/**
 * Parses comma-separated text with an optional quoted field syntax (RFC 4180). Errors name the file, the
 * line and what to fix, because the file is usually one the learner edited by hand.
 */
export function parseCsv(text: string, file: string): CsvTable {
  const records = splitRecords(text, file);
  if (records.length === 0 || (records.length === 1 && records[0]!.cells.every((c) => c === ''))) {
    throw new LabError('bad-data', `${file}: the file is empty; expected a header line and data rows.`);
  }
  const header = records[0]!.cells.map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') throw new LabError('bad-data', `${file}: line 1 has an empty column name; give every column a name.`);
    if (seen.has(name)) throw new LabError('bad-data', `${file}: line 1 names column "${name}" twice; column names must be unique.`);
    seen.add(name);
  }
  const rows: string[][] = [];
  for (const { line, cells } of records.slice(1)) {
    if (cells.length === 1 && cells[0] === '') continue;
    if (cells.length !== header.length) {
      throw new LabError(
        'bad-data',
        `${file}: line ${line} has ${cells.length} fields but the header has ${header.length}; ` +
          'check for a missing or extra comma on that line.',
        { file, line, column: 1 },
      );
    }
    rows.push(cells);
  }
  if (rows.length === 0) throw new LabError('bad-data', `${file}: the file has a header but no data rows.`);
  return { file, header, rows };
}

interface CsvRecord {
  line: number;
  cells: string[];
}

function splitRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') {
      quoted = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      cells.push(cell);
      records.push({ line: recordLine, cells });
      cells = [];
      cell = '';
      line++;
      recordLine = line;
    } else {
      cell += ch;
    }
  }
  if (quoted) {
    throw new LabError('bad-data', `${file}: a quoted field opened on line ${recordLine} is never closed; add the closing quote.`, {
      file,
      line: recordLine,
      column: 1,
    });
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push({ line: recordLine, cells });
  }
  return records;
}

import { isBlankRecord, splitCsvRecords, type CsvRecord } from '../../protocol/csvRecords';
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
  for (const record of records.slice(1)) {
    if (isBlankRecord(record)) continue;
    const { line, cells } = record;
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

function splitRecords(text: string, file: string): CsvRecord[] {
  const split = splitCsvRecords(text);
  if (!split.ok) {
    const line = split.unclosedQuoteLine;
    throw new LabError('bad-data', `${file}: a quoted field opened on line ${line} is never closed; add the closing quote.`, { file, line, column: 1 });
  }
  return split.records;
}

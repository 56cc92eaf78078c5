/**
 * RFC 4180 records, for the two CSV readers (the trainer's datasets and the gradebook the extension reads back):
 * quoted cells may hold commas, quotes and line breaks, so a record can span lines; each record keeps the line
 * it starts on for error messages. Pure: no Node imports.
 */
export interface CsvRecord {
  /** The 1-based line the record starts on. */
  readonly line: number;
  readonly cells: string[];
}

export type SplitCsv = { ok: true; records: CsvRecord[] } | { ok: false; unclosedQuoteLine: number };

/** Blank lines come back as one empty cell, for the reader to skip or refuse; a leading byte-order mark is dropped. */
export function splitCsvRecords(text: string): SplitCsv {
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
      if (ch === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
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
      recordLine = ++line;
    } else {
      cell += ch;
    }
  }
  if (quoted) return { ok: false, unclosedQuoteLine: recordLine };
  if (cell !== '' || cells.length > 0) records.push({ line: recordLine, cells: [...cells, cell] });
  return { ok: true, records };
}

export function isBlankRecord(record: CsvRecord): boolean {
  return record.cells.length === 1 && record.cells[0] === '';
}

/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF or LF, fields
 * quoted with " when they hold commas, quotes or line breaks, inner quotes
 * doubled. The parser reports the line where each record starts and refuses
 * malformed quoting with the line it found it on.
 */
import { KbError } from './errors.js';

export interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
}

export function parseCsv(text: string, file: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  /** Whether the current field was quoted: `""` alone on a line is a record, a blank line is not. */
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const fail = (message: string): never => {
    throw new KbError([{ code: 'CSV_SYNTAX', file, line, field: '', message }]);
  };
  const endRecord = (): void => {
    fields.push(field);
    if (fields.length > 1 || field !== '' || quoted) records.push({ line: start, fields });
    fields = [];
    field = '';
    quoted = false;
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '"' && field === '' && !quoted) {
      quoted = true;
      const quoteLine = line;
      i++;
      for (;;) {
        if (i >= src.length) {
          line = quoteLine;
          fail('a quoted field is never closed');
        }
        const q = src[i] as string;
        if (q === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = src[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') fail('unexpected text after a closing quote (a quote inside a field must be doubled: "")');
      continue;
    }
    if (c === '"') fail('a quote inside an unquoted field (quote the whole field and double the inner quote)');
    if (c === ',') {
      fields.push(field);
      field = '';
      quoted = false;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      start = line;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== '' || fields.length > 0 || quoted) endRecord();
  return records;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Serializes rows (header first) with CRLF line ends, quoting only where needed. */
export function stringifyCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

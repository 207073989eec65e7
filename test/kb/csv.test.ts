import assert from 'node:assert/strict';
import { parseCsv, stringifyCsv } from '../../src/kb/csv.js';
import { KbError } from '../../src/kb/errors.js';

const fields = (text: string): string[][] => parseCsv(text, 't.csv').map((r) => [...r.fields]);

describe('CSV (RFC 4180)', () => {
  it('parses quoted fields with commas, doubled quotes and line breaks', () => {
    assert.deepEqual(fields('a,b\r\n"x, y","say ""hi""\nthere"\r\n'), [['a', 'b'], ['x, y', 'say "hi"\nthere']]);
  });

  it('records the line each record starts on, across multi-line fields', () => {
    const lines = parseCsv('h\n"1\n2"\n3\n', 't.csv').map((r) => r.line);
    assert.deepEqual(lines, [1, 2, 4]);
  });

  it('accepts LF, CRLF, a BOM and a missing final newline', () => {
    assert.deepEqual(fields('\ufeffa,b\nc,d'), [['a', 'b'], ['c', 'd']]);
  });

  it('keeps empty fields and skips blank lines', () => {
    assert.deepEqual(fields('a,,c\n\n,,\n""\n'), [['a', '', 'c'], ['', '', ''], ['']]);
  });

  it('reports an unclosed quote with the line where it opened', () => {
    assert.throws(() => parseCsv('a\nb\n"open\nmore', 'x.csv'), (e: unknown) => e instanceof KbError && /x\.csv:3/.test(e.message));
  });

  it('reports a stray quote inside an unquoted field', () => {
    assert.throws(() => parseCsv('a,b"c\n', 'x.csv'), /quote/);
  });

  it('round-trips awkward values through stringify and parse', () => {
    const rows = [['id', 'text'], ['1', 'comma, "quote"\r\nnewline'], ['2', ' leading space'], ['3', '']];
    assert.deepEqual(fields(stringifyCsv(rows)), rows);
  });
});

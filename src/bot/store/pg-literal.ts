/**
 * A statement with its parameters written in as literals. The PostgreSQL
 * store sends a batch of appends, and the COMMIT after them, as one simple
 * query (one round trip, one commit for all), and a simple query takes no
 * parameters. Strings go through node-postgres's escapeLiteral; the store
 * passes only strings (JSON text among them, whose escapes keep \u0000 out
 * of the literal), whole numbers, booleans and nulls.
 */
import pg from 'pg';

export type Literal = string | number | boolean | null;

/** `sql` with each $n replaced by values[n - 1] as a literal. */
export function withLiterals(sql: string, values: readonly Literal[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= values.length) throw new RangeError(`the statement uses $${n}, but ${values.length} values were given`);
    return literal(values[i] as Literal);
  });
}

function literal(v: Literal): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new RangeError(`only whole numbers are written as literals, not ${v}`);
    return String(v);
  }
  // A simple query is a NUL-terminated string: PostgreSQL would drop the connection, not refuse the value.
  if (v.includes('\u0000')) throw new RangeError('a text value holds \\u0000, which PostgreSQL text cannot hold');
  return pg.escapeLiteral(v);
}

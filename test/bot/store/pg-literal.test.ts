import assert from 'node:assert/strict';
import pg from 'pg';
import { withLiterals } from '../../../src/bot/store/pg-literal.js';
import { cleanTestDatabases, createTestDatabase } from '../../helpers/postgres.js';

describe('statements with their parameters written in', () => {
  after(cleanTestDatabases);

  it('reads back every value exactly: quotes, backslashes, \\u0000 escapes in JSON, Chinese, numbers, booleans and nulls', async () => {
    const client = new pg.Client({ connectionString: await createTestDatabase() });
    await client.connect();
    try {
      const hostile = `it's \\ "quoted" '); DROP TABLE x; -- 退款\u0001`;
      const json = JSON.stringify({ text: 'a\u0000b\ud800', id: "O'Brien" });
      const sql = withLiterals('SELECT $1::text AS a, $2::json AS b, $3::int AS c, $4::boolean AS d, $5::text AS e, $10::text AS j', [hostile, json, 42, true, null, 'x', 'x', 'x', 'x', '$1 stays']);
      const row = (await client.query(sql)).rows[0] as { a: string; b: unknown; c: number; d: boolean; e: null; j: string };
      assert.deepEqual(row, { a: hostile, b: JSON.parse(json), c: 42, d: true, e: null, j: '$1 stays' });
    } finally {
      await client.end();
    }
  });

  it('refuses a parameter it was not given, a number that is not whole and text holding \\u0000', () => {
    assert.throws(() => withLiterals('SELECT $1', ['a\u0000b']), /PostgreSQL text cannot hold/);
    assert.throws(() => withLiterals('SELECT $2', ['one']), /uses \$2, but 1 values were given/);
    assert.throws(() => withLiterals('SELECT $1', [1.5]), /only whole numbers/);
  });
});

import assert from 'node:assert/strict';
import { databaseUrlProblem, redactedUrl } from '../../../src/bot/store/pg-pool.js';

describe('database URLs', () => {
  it('takes postgres:// and postgresql:// URLs with a host', () => {
    assert.equal(databaseUrlProblem('postgres://tact:pw@db.internal:5432/tact'), null);
    assert.equal(databaseUrlProblem('postgresql://tact@127.0.0.1/tact?sslmode=require'), null);
  });

  it('names what is wrong with anything else', () => {
    assert.match(databaseUrlProblem('db.internal:5432') ?? '', /postgres:\/\//);
    assert.match(databaseUrlProblem('not a url') ?? '', /not a URL/);
    assert.match(databaseUrlProblem('mysql://root@db/tact') ?? '', /starts with mysql:/);
    assert.match(databaseUrlProblem('postgres:///tact') ?? '', /no host/);
  });

  it('never shows the password', () => {
    assert.equal(redactedUrl('postgres://tact:s3cret@db:5432/tact'), 'postgres://tact:***@db:5432/tact');
    assert.equal(redactedUrl('postgres://tact@db/tact'), 'postgres://tact@db/tact');
  });
});

import assert from 'node:assert/strict';
import pg from 'pg';
import { databaseUnavailable, pgReason } from '../../../src/bot/store/pg-errors.js';
import { StoreError } from '../../../src/bot/store/store.js';

function sqlState(code: string, message = 'refused'): pg.DatabaseError {
  const err = new pg.DatabaseError(message, 0, 'error');
  err.code = code;
  return err;
}

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

describe('PostgreSQL errors', () => {
  const cases: readonly (readonly [string, unknown, boolean])[] = [
    ['a refused connection', errno('ECONNREFUSED'), true],
    ['a connection lost mid-statement', new Error('Connection terminated unexpectedly'), true],
    ['a terminated backend (57P01)', sqlState('57P01'), true],
    ['a server shutting down (57P03)', sqlState('57P03'), true],
    ['a full disk (53100)', sqlState('53100'), true],
    ['too many connections (53300)', sqlState('53300'), true],
    ['a database that does not exist (3D000)', sqlState('3D000'), true],
    ['a read-only standby (25006)', sqlState('25006'), true],
    ['a bad password (28P01)', sqlState('28P01'), true],
    ['text PostgreSQL cannot hold (22021)', sqlState('22021'), false],
    ['a unique violation (23505)', sqlState('23505'), false],
    ["the store's own conflict", new StoreError('STORE_CONFLICT', 'x'), false],
  ];
  for (const [what, err, unavailable] of cases) {
    it(`counts ${what} as ${unavailable ? 'the database being unavailable' : 'a refused statement'}`, () => {
      assert.equal(databaseUnavailable(err), unavailable);
    });
  }

  it('gives the SQLSTATE with the message, and the system error as Node wrote it', () => {
    assert.equal(pgReason(sqlState('22021', 'invalid byte sequence')), '22021: invalid byte sequence');
    assert.equal(pgReason(errno('ECONNREFUSED')), 'connect ECONNREFUSED 127.0.0.1:5432');
    assert.equal(pgReason(Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' })), 'ECONNREFUSED');
  });
});

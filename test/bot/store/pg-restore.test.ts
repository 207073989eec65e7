import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { BackupError, type BackupErrorCode } from '../../../src/bot/store/backup-format.js';
import { writeBackup } from '../../../src/bot/store/backup-writer.js';
import { FsFileStore } from '../../../src/bot/store/fs-file-store.js';
import { restoreIntoDataDir } from '../../../src/bot/store/lowdb-restore.js';
import { snapshotDataDir } from '../../../src/bot/store/lowdb-snapshot.js';
import { openLowdbStore, readAllConversations } from '../../../src/bot/store/lowdb-store.js';
import { openPgFileStore } from '../../../src/bot/store/pg-file-store.js';
import { withSeqs } from '../../../src/bot/store/pg-import.js';
import { restoreIntoDatabase } from '../../../src/bot/store/pg-restore.js';
import { withPgSnapshot } from '../../../src/bot/store/pg-snapshot.js';
import { openPgStore } from '../../../src/bot/store/pg-store.js';
import type { RestoreReport } from '../../../src/bot/store/restore-check.js';
import type { StoredFile } from '../../../src/bot/store/store.js';
import { databaseTarget, withDatabase } from '../../../src/cli/database.js';
import { HISTORY, writeHistory } from '../../helpers/lowdb-history.js';
import { cleanTestDatabases, createTestDatabase, track } from '../../helpers/postgres.js';
import { png } from '../../helpers/test-files.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const at = '2026-12-06T10:00:00.000Z';
const PHOTO = 'PHOTOPHOTOPHOTOPHOTO01';

async function restore(file: string, url: string, allowEmpty = false): Promise<RestoreReport> {
  return withDatabase(databaseTarget('restore', url, undefined), (db) => restoreIntoDatabase(file, db, { allowEmpty }));
}

async function rows(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ n: number }>(sql)).rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

/** The embedded shop history with a photo and the session secret, backed up. */
async function shopBackup(): Promise<{ dir: string; file: string; photo: Buffer }> {
  const dir = tempDir();
  await writeHistory(dir);
  const photo = await png(32, 32);
  const meta: StoredFile = { id: PHOTO, kind: 'image', mime: 'image/png', name: 'parcel.png', size: photo.length, width: 32, height: 32, at, from: 'customer' };
  await new FsFileStore(dir).put(HISTORY.handedOff, meta, photo, Buffer.from('thumb'));
  writeFileSync(join(dir, 'session.secret'), `${'s'.repeat(64)}\n`);
  const file = join(tempDir(), 'shop.tact.gz');
  await writeBackup(file, await snapshotDataDir(dir));
  return { dir, file, photo };
}

async function refusedWith(work: Promise<unknown>, code: BackupErrorCode, message: RegExp): Promise<void> {
  await assert.rejects(work, (err: unknown) => {
    assert.ok(err instanceof BackupError, String(err));
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  });
}

describe('restoring a backup into PostgreSQL', () => {
  after(cleanTestDatabases);
  after(cleanTempDirs);

  it('restores an embedded store’s backup into a new database with message numbers, files and unfinished state, and backs it up again the same', async () => {
    const shop = await shopBackup();
    const url = await createTestDatabase();

    const report = await restore(shop.file, url);

    assert.equal(report.secret, 'not-restored');
    assert.deepEqual(report.counts, { conversations: 8, events: 46, messages: 17, files: 1 });
    const [db, lowdb] = [track(await openPgStore(url)), track(await openLowdbStore(shop.dir))];
    for (const id of await lowdb.conversations()) assert.deepEqual(await db.read(id), withSeqs(await lowdb.read(id)), `conversation ${id}`);
    assert.deepEqual((await db.unfinished()).map((u) => u.id).sort(), (await lowdb.unfinished()).map((u) => u.id).sort());
    const files = track(await openPgFileStore(url));
    assert.deepEqual(await files.read(HISTORY.handedOff, PHOTO, 'file'), shop.photo);
    assert.equal(String(await files.read(HISTORY.handedOff, PHOTO, 'thumb')), 'thumb');
    assert.equal(await db.append(HISTORY.gap, { kind: 'message', at, from: 'agent', text: 'next' }), (await lowdb.append(HISTORY.gap, { kind: 'message', at, from: 'agent', text: 'next' })));
    await Promise.all([db.close(), lowdb.close(), files.close()]);

    const again = join(dirname(shop.file), 'again.tact.gz');
    await withDatabase(databaseTarget('backup', url, undefined), (d) => withPgSnapshot(d.pool, d.schema, (s) => writeBackup(again, s)));
    const dir = join(tempDir(), 'back');
    const back = await restoreIntoDataDir(again, dir);
    assert.equal(back.header.source, 'postgres');
    const restored = await readAllConversations(dir);
    const original = await readAllConversations(shop.dir);
    assert.deepEqual([...restored.keys()].sort(), [...original.keys()].sort());
    for (const [id, events] of original) assert.equal(restored.get(id)?.length, events.length, `conversation ${id}`);
    assert.deepEqual(await new FsFileStore(dir).read(HISTORY.handedOff, PHOTO, 'file'), shop.photo);
  });

  it('refuses a database that holds conversations, or that another Tact process is using', async () => {
    const shop = await shopBackup();
    const full = await createTestDatabase();
    const db = track(await openPgStore(full));
    await db.append('someone', { kind: 'duty', at, agent: 'Lin', on: true });
    await db.close();
    await refusedWith(restore(shop.file, full, true), 'RESTORE_TARGET_NOT_EMPTY', /already holds conversations or files/);

    const live = await createTestDatabase();
    const server = track(await openPgStore(live));
    await server.read('anyone');
    await refusedWith(restore(shop.file, live, true), 'RESTORE_TARGET_LIVE', /another Tact process is using the database/);
    await server.close();

    await refusedWith(restore(shop.file, live), 'RESTORE_TARGET_NOT_EMPTY', /already has Tact's tables.*--allow-empty/);
    await restore(shop.file, live, true);
    assert.equal(await rows(live, 'SELECT count(*)::int AS n FROM tact_conversations'), 8);
  });

  it('rolls everything back when the file turns out damaged at its end', async () => {
    const shop = await shopBackup();
    const whole = readFileSync(shop.file);
    const cut = join(dirname(shop.file), 'cut.tact.gz');
    writeFileSync(cut, whole.subarray(0, whole.length - 30));
    const url = await createTestDatabase();

    await refusedWith(restore(cut, url), 'RESTORE_TRUNCATED', /cut short/);

    for (const table of ['tact_conversations', 'tact_events', 'tact_files']) assert.equal(await rows(url, `SELECT count(*)::int AS n FROM ${table}`), 0, table);
  });
});

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BackupError, type BackupErrorCode } from '../../../src/bot/store/backup-format.js';
import { writeBackup } from '../../../src/bot/store/backup-writer.js';
import { FsFileStore } from '../../../src/bot/store/fs-file-store.js';
import { restoreIntoDataDir } from '../../../src/bot/store/lowdb-restore.js';
import { snapshotDataDir } from '../../../src/bot/store/lowdb-snapshot.js';
import { openLowdbStore, readAllConversations } from '../../../src/bot/store/lowdb-store.js';
import { dataDirSecret } from '../../../src/bot/store/secret.js';
import type { StoredFile } from '../../../src/bot/store/store.js';
import { HISTORY, writeHistory } from '../../helpers/lowdb-history.js';
import { pdf, png } from '../../helpers/test-files.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const at = '2026-12-06T10:00:00.000Z';

/** A data directory with the shop history, a photo (and thumbnail) and a PDF, and its session secret. */
async function shopDir(): Promise<{ dir: string; photo: Buffer; document: Buffer; secret: string }> {
  const dir = tempDir();
  await writeHistory(dir);
  const photo = await png(64, 48);
  const document = pdf();
  const files = new FsFileStore(dir);
  const meta = (id: string, kind: 'image' | 'pdf', bytes: Buffer): StoredFile => ({ id, kind, mime: kind === 'image' ? 'image/png' : 'application/pdf', name: `${kind}.bin`, size: bytes.length, width: null, height: null, at, from: 'customer' });
  await files.put(HISTORY.handedOff, meta('PHOTOPHOTOPHOTOPHOTO01', 'image', photo), photo, Buffer.from('thumb'));
  await files.put(HISTORY.waiting, meta('DOCUMENTDOCUMENTDOC_02', 'pdf', document), document, null);
  return { dir, photo, document, secret: dataDirSecret(dir) };
}

async function backupOf(dir: string): Promise<string> {
  const out = join(tempDir(), 'shop.tact.gz');
  await writeBackup(out, await snapshotDataDir(dir));
  return out;
}

async function refusedWith(work: Promise<unknown>, code: BackupErrorCode, message: RegExp): Promise<void> {
  await assert.rejects(work, (err: unknown) => {
    assert.ok(err instanceof BackupError, String(err));
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  });
}

/** No staging folder left beside a target. */
function noLeftovers(target: string): void {
  assert.deepEqual(readdirSync(dirname(target)).filter((n) => n.includes('.restoring-')), []);
}

describe('restoring a backup into a data directory', () => {
  after(cleanTempDirs);

  it('restores every conversation, file and the session secret into a new directory, with the unfinished index', async () => {
    const shop = await shopDir();
    const file = await backupOf(shop.dir);
    const target = join(tempDir(), 'restored');

    const report = await restoreIntoDataDir(file, target);

    assert.equal(report.secret, 'restored');
    assert.deepEqual(await readAllConversations(target), await readAllConversations(shop.dir));
    const files = new FsFileStore(target);
    assert.deepEqual(await files.read(HISTORY.handedOff, 'PHOTOPHOTOPHOTOPHOTO01', 'file'), shop.photo);
    assert.equal(String(await files.read(HISTORY.handedOff, 'PHOTOPHOTOPHOTOPHOTO01', 'thumb')), 'thumb');
    assert.deepEqual(await files.read(HISTORY.waiting, 'DOCUMENTDOCUMENTDOC_02', 'file'), shop.document);
    assert.equal(readFileSync(join(target, 'session.secret'), 'utf8').trim(), shop.secret);
    assert.equal(statSync(target).mode & 0o777, 0o700);
    const [source, restored] = [await openLowdbStore(shop.dir), await openLowdbStore(target)];
    assert.deepEqual(await restored.unfinished(), await source.unfinished());
    assert.equal(await restored.append(HISTORY.gap, { kind: 'message', at, from: 'customer', text: 'after the restore', id: 'r1' }), (await source.append(HISTORY.gap, { kind: 'message', at, from: 'customer', text: 'after the restore', id: 'r1' })));
    await Promise.all([source.close(), restored.close()]);
    noLeftovers(target);
  });

  it('refuses a data directory a server holds, and leaves it as it was', async () => {
    const shop = await shopDir();
    const file = await backupOf(shop.dir);
    const live = tempDir();
    const server = await openLowdbStore(live);

    await refusedWith(restoreIntoDataDir(file, live, { allowEmpty: true }), 'RESTORE_TARGET_LIVE', /in use by another Tact process.*never writes into a live store/);

    assert.deepEqual(await server.conversations(), []);
    await server.close();
    noLeftovers(live);
  });

  it('refuses a directory that holds anything; an existing empty data directory only with allowEmpty', async () => {
    const shop = await shopDir();
    const file = await backupOf(shop.dir);
    await refusedWith(restoreIntoDataDir(file, shop.dir, { allowEmpty: true }), 'RESTORE_TARGET_NOT_EMPTY', /holds conversations, files or quarantined damage/);
    const stranger = tempDir();
    writeFileSync(join(stranger, 'notes.txt'), 'mine');
    await refusedWith(restoreIntoDataDir(file, stranger), 'RESTORE_TARGET_NOT_EMPTY', /holds files and is not a Tact data directory/);
    assert.equal(readFileSync(join(stranger, 'notes.txt'), 'utf8'), 'mine');
    const empty = tempDir();
    await (await openLowdbStore(empty)).close();
    await refusedWith(restoreIntoDataDir(file, empty), 'RESTORE_TARGET_NOT_EMPTY', /pass --allow-empty/);

    await restoreIntoDataDir(file, empty, { allowEmpty: true });

    assert.deepEqual(await readAllConversations(empty), await readAllConversations(shop.dir));
    const folder = tempDir();
    await restoreIntoDataDir(file, folder);
    assert.equal((await readAllConversations(folder)).size, 8);
    noLeftovers(empty);
  });

  it('leaves nothing behind when the file is refused part-way through', async () => {
    const shop = await shopDir();
    const file = await backupOf(shop.dir);
    const whole = readFileSync(file);
    const cut = join(dirname(file), 'cut.tact.gz');
    writeFileSync(cut, whole.subarray(0, whole.length - 40));
    const target = join(tempDir(), 'restored');

    await refusedWith(restoreIntoDataDir(cut, target), 'RESTORE_TRUNCATED', /cut short/);

    assert.equal(existsSync(target), false);
    noLeftovers(target);
    const empty = tempDir();
    mkdirSync(join(empty, 'conversations'));
    await refusedWith(restoreIntoDataDir(cut, empty, { allowEmpty: true }), 'RESTORE_TRUNCATED', /cut short/);
    assert.deepEqual(readdirSync(join(empty, 'conversations')), []);
    noLeftovers(empty);
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanFileName, type FileStore, type StoredFile } from '../../../src/bot/store/file-store.js';
import { FILES_DIR, FsFileStore } from '../../../src/bot/store/fs-file-store.js';
import { openPgFileStore } from '../../../src/bot/store/pg-file-store.js';
import { storeFs } from '../../../src/bot/store/store-fs.js';
import { cleanTestDatabases, createTestDatabase, track } from '../../helpers/postgres.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const CONV = 'conv-1';
const fileId = (): string => randomBytes(16).toString('base64url');
const meta = (id: string): StoredFile => ({ id, kind: 'image', mime: 'image/jpeg', name: 'parcel.jpg', size: 5, width: 10, height: 8, at: '2026-11-27T02:00:00.000Z', from: 'customer' });

const implementations: Record<string, () => Promise<FileStore>> = {
  'the data directory': async () => new FsFileStore(tempDir()),
  PostgreSQL: async () => track(await openPgFileStore(await createTestDatabase())),
};

for (const [name, open] of Object.entries(implementations)) {
  describe(`conversation files in ${name}`, function () {
    this.timeout(30_000);
    let files: FileStore;
    beforeEach(async () => {
      files = await open();
    });
    afterEach(() => files.close());
    after(async () => {
      cleanTempDirs();
      await cleanTestDatabases();
    });

    it('keeps a file and its thumbnail under their conversation', async () => {
      const id = fileId();
      await files.put(CONV, meta(id), Buffer.from('bytes'), Buffer.from('thumb'));
      assert.deepEqual(await files.meta(CONV, id), meta(id));
      assert.equal(String(await files.read(CONV, id, 'file')), 'bytes');
      assert.equal(String(await files.read(CONV, id, 'thumb')), 'thumb');
    });

    it('deletes every file of one conversation, and only of that one', async () => {
      const [a, b, other] = [fileId(), fileId(), fileId()];
      await files.put(CONV, meta(a), Buffer.from('secret-bytes-a'), Buffer.from('thumb-a'));
      await files.put(CONV, meta(b), Buffer.from('secret-bytes-b'), null);
      await files.put('conv-2', meta(other), Buffer.from('kept'), null);
      assert.equal(await files.removeAll(CONV), 2);
      assert.equal(await files.meta(CONV, a), null);
      assert.equal(await files.read(CONV, b, 'file'), null);
      assert.equal(String(await files.read('conv-2', other, 'file')), 'kept');
      assert.equal(await files.removeAll(CONV), 0, 'nothing left, nothing to delete');
      assert.equal(await files.removeAll('never-had-files'), 0);
      await assert.rejects(files.removeAll('../conv-2'), /not 1–64 letters/);
    });

    it('finds a file only through its own conversation', async () => {
      const id = fileId();
      await files.put(CONV, meta(id), Buffer.from('bytes'), null);
      assert.equal(await files.meta('conv-2', id), null);
      assert.equal(await files.read('conv-2', id, 'file'), null);
      assert.equal(await files.read(CONV, id, 'thumb'), null, 'a PDF has no thumbnail');
      assert.equal(await files.meta(CONV, fileId()), null);
    });

    it('refuses ids that could name a path', async () => {
      await assert.rejects(files.meta('../etc', fileId()), { code: 'STORE_BAD_ID' });
      await assert.rejects(files.read(CONV, '../../../../etc/passwd', 'file'), { code: 'STORE_BAD_ID' });
      await assert.rejects(files.put(CONV, meta('short'), Buffer.from('x'), null), { code: 'STORE_BAD_ID' });
    });
  });
}

describe('files in the data directory, when the disk fails', () => {
  after(() => cleanTempDirs());

  it('leaves no visible half file when a write fails, and keeps the file when tried again', async () => {
    const dir = tempDir();
    const files = new FsFileStore(dir);
    const id = fileId();
    const fsync = storeFs.fsync;
    storeFs.fsync = async () => {
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    };
    try {
      await assert.rejects(files.put(CONV, meta(id), Buffer.from('bytes'), Buffer.from('thumb')), { code: 'ENOSPC' });
    } finally {
      storeFs.fsync = fsync;
    }
    assert.equal(await files.meta(CONV, id), null);
    await files.put(CONV, meta(id), Buffer.from('bytes'), Buffer.from('thumb'));
    assert.equal(String(await files.read(CONV, id, 'file')), 'bytes');
    assert.ok(!readdirSync(join(dir, FILES_DIR, CONV)).some((f) => f.endsWith('.json.tmp')));
  });
});

describe('a file name as shown', () => {
  it('keeps the last part of a path, drops control and direction characters, and is never empty', () => {
    assert.equal(cleanFileName('C:\\Users\\me\\照片.jpg'), '照片.jpg');
    assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
    assert.equal(cleanFileName('invoice\u202Egpj.exe'), 'invoicegpj.exe');
    assert.equal(cleanFileName('..'), 'file');
    assert.equal(cleanFileName(null), 'file');
    assert.equal(cleanFileName('a'.repeat(500)).length, 120);
  });
});

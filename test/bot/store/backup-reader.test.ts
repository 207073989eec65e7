import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BackupError, type BackupCounts, type BackupErrorCode } from '../../../src/bot/store/backup-format.js';
import { readBackup, type BackupItem } from '../../../src/bot/store/backup-reader.js';
import { writeBackup, type Snapshot } from '../../../src/bot/store/backup-writer.js';
import type { StoredEvent, StoredFile } from '../../../src/bot/store/store.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const at = '2026-12-06T10:00:00.000Z';
const hello: StoredEvent = { kind: 'message', at, from: 'customer', text: '你好 "quoted" \u0000 \ud800 😀', id: 'w1', seq: 1 };
const reply: StoredEvent = { kind: 'message', at, from: 'bot', text: 'Hello!', turn: 'w1', seq: 2 };
const turn: StoredEvent = { kind: 'turn', at, id: 'w1' };
const photo: StoredFile = { id: 'AAAAAAAAAAAAAAAAAAAAAA', kind: 'image', mime: 'image/png', name: 'parcel.png', size: 5, width: 1, height: 1, at, from: 'customer' };

function snapshot(): Snapshot {
  return {
    source: 'embedded',
    counts: { conversations: 2, events: 4, messages: 3, files: 1 },
    secret: 'a'.repeat(64),
    async *conversations() {
      yield { id: 'c1', events: [hello, reply, turn] };
      yield { id: 'empty', events: [] };
      yield { id: 'c2', events: [{ ...hello, seq: 1 }] };
    },
    async *files() {
      yield { conversation: 'c1', meta: photo, bytes: Buffer.from('12345'), thumb: null };
    },
  };
}

async function readAll(path: string): Promise<BackupItem[]> {
  const items: BackupItem[] = [];
  await readBackup(path, async (item) => {
    items.push(item);
  });
  return items;
}

async function refused(path: string, code: BackupErrorCode, message: RegExp): Promise<void> {
  await assert.rejects(readAll(path), (err: unknown) => {
    assert.ok(err instanceof BackupError, String(err));
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  });
}

/** A backup file made line by line, its header counts and trailer (counts, SHA-256) made to match what it holds unless told otherwise. */
function craft(dir: string, body: readonly unknown[], opts: { header?: Record<string, unknown>; counts?: BackupCounts; trailer?: boolean; raw?: string } = {}): string {
  const counts = opts.counts ?? { conversations: new Set(body.flatMap((l) => ((l as { t: string }).t === 'event' ? [(l as { c: string }).c] : []))).size, events: body.filter((l) => (l as { t: string }).t === 'event').length, messages: body.filter((l) => (l as { e?: { kind: string } }).e?.kind === 'message').length, files: body.filter((l) => (l as { t: string }).t === 'file').length };
  const header = { format: 'tact-backup', version: 1, createdAt: at, source: 'embedded', counts, ...opts.header };
  const text = [header, ...body].map((l) => `${JSON.stringify(l)}\n`).join('') + (opts.raw ?? '');
  const sha = createHash('sha256').update(text).digest('hex');
  const trailer = opts.trailer === false ? '' : `${JSON.stringify({ t: 'end', counts, sha256: sha })}\n`;
  const path = join(dir, `crafted-${Math.random().toString(36).slice(2)}.tact.gz`);
  writeFileSync(path, gzipSync(text + trailer));
  return path;
}

const event = (c: string, e: unknown = hello) => ({ t: 'event', c, e });

describe('backup file', () => {
  after(cleanTempDirs);

  it('round-trips conversations in order, files with their bytes, and the secret; an empty conversation is left out', async () => {
    const dir = tempDir();
    const path = join(dir, 'b.tact.gz');
    const written = await writeBackup(path, snapshot());
    assert.deepEqual(written.counts, { conversations: 2, events: 4, messages: 3, files: 1 });
    assert.equal(written.sha256, createHash('sha256').update(readFileSync(path)).digest('hex'));

    const items = await readAll(path);

    assert.deepEqual(items.map((i) => i.kind), ['conversation', 'conversation', 'file', 'secret']);
    assert.deepEqual(items[0], { kind: 'conversation', id: 'c1', events: [hello, reply, turn] });
    const file = items[2] as Extract<BackupItem, { kind: 'file' }>;
    assert.deepEqual(file.file.meta, photo);
    assert.equal(file.file.bytes.toString(), '12345');
    assert.deepEqual(items[3], { kind: 'secret', value: 'a'.repeat(64) });
  });

  it('never overwrites a file, and leaves no file when the store changes under the snapshot', async () => {
    const dir = tempDir();
    const path = join(dir, 'b.tact.gz');
    writeFileSync(path, 'mine');
    await assert.rejects(writeBackup(path, snapshot()), { code: 'BACKUP_EXISTS' });
    assert.equal(readFileSync(path, 'utf8'), 'mine');
    const other = join(dir, 'c.tact.gz');
    await assert.rejects(writeBackup(other, { ...snapshot(), counts: { conversations: 3, events: 4, messages: 3, files: 1 } }), { code: 'BACKUP_SOURCE' });
    assert.throws(() => readFileSync(other), { code: 'ENOENT' });
    assert.deepEqual(readdirSync(dir).sort(), ['b.tact.gz'], 'no temporary file is left either');
  });

  it('writes through a fresh temporary file, never one planted in its place', async () => {
    const dir = tempDir();
    const path = join(dir, 'b.tact.gz');
    const planted = join(dir, 'elsewhere');
    writeFileSync(planted, 'not yours');
    symlinkSync(planted, `${path}.tmp`);
    await writeBackup(path, snapshot());
    assert.equal(readFileSync(planted, 'utf8'), 'not yours', 'the symlinked file was not written');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).sort(), ['b.tact.gz', 'b.tact.gz.tmp', 'elsewhere']);
  });

  it('refuses a file cut short, at any length', async () => {
    const dir = tempDir();
    const path = join(dir, 'b.tact.gz');
    await writeBackup(path, snapshot());
    const whole = readFileSync(path);
    for (const keep of [whole.length - 1, Math.floor(whole.length / 2), 12]) {
      const cut = join(dir, `cut-${keep}.tact.gz`);
      writeFileSync(cut, whole.subarray(0, keep));
      await refused(cut, 'RESTORE_TRUNCATED', /is cut short/);
    }
    await refused(craft(dir, [event('c1')], { trailer: false }), 'RESTORE_TRUNCATED', /ends before its trailer/);
  });

  it('refuses a file that is not a backup, or a version this Tact does not read', async () => {
    const dir = tempDir();
    const plain = join(dir, 'plain.txt');
    writeFileSync(plain, 'hello, not gzip');
    await refused(plain, 'RESTORE_NOT_A_BACKUP', /not gzip/);
    const empty = join(dir, 'empty.gz');
    writeFileSync(empty, gzipSync(''));
    await refused(empty, 'RESTORE_NOT_A_BACKUP', /is empty/);
    await refused(craft(dir, [], { header: { format: 'other' } }), 'RESTORE_NOT_A_BACKUP', /not a Tact backup/);
    await refused(craft(dir, [], { header: { version: 2 } }), 'RESTORE_WRONG_VERSION', /version 2 backup; this Tact reads version 1/);
    await refused(join(dir, 'missing.tact.gz'), 'RESTORE_NOT_A_BACKUP', /cannot be read \(ENOENT\)/);
  });

  it('refuses a changed byte by its checksum, and counts that do not add up', async () => {
    const dir = tempDir();
    const path = join(dir, 'b.tact.gz');
    await writeBackup(path, snapshot());
    const text = gunzipSync(readFileSync(path)).toString('utf8');
    const changed = join(dir, 'changed.tact.gz');
    writeFileSync(changed, gzipSync(text.replace('Hello!', 'Hellp!')));
    await refused(changed, 'RESTORE_CORRUPT', /SHA-256 does not match/);
    await refused(craft(dir, [event('c1')], { counts: { conversations: 1, events: 2, messages: 2, files: 0 } }), 'RESTORE_CORRUPT', /holds 1 conversations \(1 events/);
  });

  it('refuses bad JSON, unknown lines, events without a kind, a conversation in two places, message numbers given twice and lines after the trailer, naming the line', async () => {
    const dir = tempDir();
    await refused(craft(dir, [], { raw: '{"t":"event",\n' }), 'RESTORE_CORRUPT', /:2: a line is not valid JSON/);
    await refused(craft(dir, [{ t: 'shell', cmd: 'rm -rf /' }]), 'RESTORE_CORRUPT', /:2: a line of unknown type "shell"/);
    await refused(craft(dir, [event('c1', { at })]), 'RESTORE_CORRUPT', /:2: an event is not an object with a kind/);
    await refused(craft(dir, [event('c1', { ...hello, seq: -1 })]), 'RESTORE_CORRUPT', /message number/);
    await refused(craft(dir, [event('c1'), event('c2'), event('c1')]), 'RESTORE_CORRUPT', /:4: conversation c1 appears in two places/);
    await refused(craft(dir, [event('c1'), event('c1', { ...reply, seq: 1 })]), 'RESTORE_CORRUPT', /:3: conversation c1's message number 1 does not follow 1/);
    await refused(craft(dir, [event('c1', { ...hello, seq: 5 }), event('c1', { ...reply, seq: undefined }), event('c1', { ...reply, seq: 6 })]), 'RESTORE_CORRUPT', /:4: .*message number 6 does not follow 6/);
    const path = craft(dir, [event('c1')]);
    const text = gunzipSync(readFileSync(path)).toString('utf8');
    writeFileSync(path, gzipSync(`${text}${JSON.stringify(event('c9'))}\n`));
    await refused(path, 'RESTORE_CORRUPT', /more after the trailer/);
  });

  it('refuses names that would reach outside the store: conversation and file ids', async () => {
    const dir = tempDir();
    for (const c of ['../../etc', 'a/b', '', '.', 'x'.repeat(65)]) await refused(craft(dir, [event(c)]), 'RESTORE_BAD_NAME', /conversation id/);
    const file = (id: string) => ({ t: 'file', c: 'c1', meta: { ...photo, id }, bytes: Buffer.from('12345').toString('base64'), thumb: null });
    for (const id of ['../../../../tmp/evil', 'AAAAAAAAAAAAAAAAAAAA/.', 'short']) await refused(craft(dir, [file(id)]), 'RESTORE_BAD_NAME', /file id/);
    await refused(craft(dir, [{ ...file(photo.id), c: '../x' }]), 'RESTORE_BAD_NAME', /conversation id/);
  });

  it('refuses a file whose bytes are not its description’s, or not base64, or of a kind Tact never keeps', async () => {
    const dir = tempDir();
    const file = (over: Record<string, unknown>) => ({ t: 'file', c: 'c1', meta: photo, bytes: Buffer.from('12345').toString('base64'), thumb: null, ...over });
    await refused(craft(dir, [file({ bytes: Buffer.from('123').toString('base64') })]), 'RESTORE_CORRUPT', /not the 5 bytes/);
    await refused(craft(dir, [file({ bytes: '<script>' })]), 'RESTORE_CORRUPT', /not base64/);
    await refused(craft(dir, [file({ meta: { ...photo, mime: 'text/html', kind: 'image' } })]), 'RESTORE_CORRUPT', /not a photo or PDF/);
  });

  it('refuses a line longer than any backup line before holding it whole', async () => {
    const dir = tempDir();
    const huge = craft(dir, [], { raw: `{"t":"event","c":"c1","e":{"kind":"message","text":"${'x'.repeat(33 * 1024 * 1024)}"}}\n` });
    await refused(huge, 'RESTORE_LINE_TOO_LONG', /:2: a line is longer than 32 MB/);
  });
});

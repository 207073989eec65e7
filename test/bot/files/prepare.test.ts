import assert from 'node:assert/strict';
import sharp from 'sharp';
import { FileError, MAX_FILE_BYTES, prepareFile, THUMB_PX, type FileErrorCode } from '../../../src/bot/files/prepare.js';
import { heic, pdf, photoWithGps, png, pngClaiming, SVG_WITH_SCRIPT, webp, zip } from '../../helpers/test-files.js';

async function refused(bytes: Buffer): Promise<FileErrorCode> {
  try {
    await prepareFile(bytes);
  } catch (err) {
    if (err instanceof FileError) return err.code;
    throw err;
  }
  return assert.fail('the file was accepted');
}

describe('a customer upload made safe before it is kept', () => {
  it('keeps a phone photo upright, without its GPS position or camera serial, with a thumbnail', async () => {
    const original = await photoWithGps();
    assert.ok((await sharp(original).metadata()).exif, 'the test photo does carry EXIF');
    const kept = await prepareFile(original);
    assert.equal(kept.kind, 'image');
    assert.equal(kept.mime, 'image/jpeg');
    assert.equal((await sharp(kept.bytes).metadata()).exif, undefined);
    assert.ok(!kept.bytes.includes('SERIAL-ABC123'));
    assert.deepEqual([kept.width, kept.height], [800, 600]);
    const thumb = await sharp(kept.thumb as Buffer).metadata();
    assert.ok(Math.max(thumb.width ?? 0, thumb.height ?? 0) <= THUMB_PX);
  });

  it('takes PNG and WebP screenshots as what they are', async () => {
    assert.equal((await prepareFile(await png())).mime, 'image/png');
    assert.equal((await prepareFile(await webp())).mime, 'image/webp');
  });

  it('rewrites a polyglot: a JPEG with a script and a zip after it is kept as the picture alone', async () => {
    const polyglot = Buffer.concat([await photoWithGps(100, 100), Buffer.from('<script>alert(1)</script>'), zip()]);
    const kept = await prepareFile(polyglot);
    assert.ok(!kept.bytes.includes('<script>'));
    assert.ok(!kept.bytes.includes(Buffer.from([0x50, 0x4b, 0x03, 0x04])));
  });

  it('refuses by content, not by name: a zip, an SVG with a script, an HEIC photo, garbage', async () => {
    assert.equal(await refused(zip()), 'FILE_TYPE');
    assert.equal(await refused(SVG_WITH_SCRIPT), 'FILE_TYPE');
    assert.equal(await refused(heic()), 'FILE_HEIC');
    assert.equal(await refused(Buffer.from('just some text, named invoice.pdf')), 'FILE_TYPE');
  });

  it('refuses an image that would unpack to a gigapixel canvas before decoding it', async () => {
    assert.equal(await refused(pngClaiming(60_000, 60_000)), 'FILE_DIMENSIONS');
  });

  it('refuses a damaged image, an empty file and one over 10 MB', async () => {
    const photo = await photoWithGps();
    assert.equal(await refused(photo.subarray(0, photo.length / 3)), 'FILE_BROKEN');
    assert.equal(await refused(Buffer.alloc(0)), 'FILE_EMPTY');
    assert.equal(await refused(Buffer.concat([photo, Buffer.alloc(MAX_FILE_BYTES)])), 'FILE_TOO_BIG');
  });

  it('keeps a plain PDF as it is, and refuses one with a script, a launch action or an embedded file, or cut short', async () => {
    const plain = pdf();
    assert.deepEqual((await prepareFile(plain)).bytes, plain);
    assert.equal(await refused(pdf('/OpenAction << /S /JavaScript /JS (app.alert(1)) >>')), 'FILE_ACTIVE_PDF');
    assert.equal(await refused(pdf('/OpenAction << /S /Launch /F (cmd.exe) >>')), 'FILE_ACTIVE_PDF');
    assert.equal(await refused(pdf('/Names << /EmbeddedFiles 3 0 R >>')), 'FILE_ACTIVE_PDF');
    assert.equal(await refused(plain.subarray(0, plain.length - 8)), 'FILE_BROKEN');
  });
});

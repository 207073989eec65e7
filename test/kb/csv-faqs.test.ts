import assert from 'node:assert/strict';
import { csvToFaqs, faqsToCsv } from '../../src/kb/csv-faqs.js';
import { KbError } from '../../src/kb/errors.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';
import { writeFaqDir } from '../../src/kb/write.js';
import { cleanTempDirs, tempDir } from '../helpers/temp-kb.js';

const CSV = [
  'id,question,alternates,answer,category',
  'ship,下单后多久发货？,什么时候发货|几天发出,"您好，订单48小时内发货。",shipping',
  'refund,How long does a refund take?,refund time|money back when,"Refunds take 1-3 days, ""working"" days.",refunds',
  'pipe,发票,"a\\|b|c",您好，可以开票。,',
].join('\r\n');

const strip = (faqs: ReturnType<typeof csvToFaqs>): unknown => faqs.map(({ source: _source, ...rest }) => rest);

describe('CSV import and export', () => {
  after(cleanTempDirs);

  it('imports the header id,question,alternates,answer,category with a lone answer in its own language', () => {
    const [ship, refund, pipe] = csvToFaqs(CSV, 'shop.csv');
    assert.deepEqual(ship?.question, { zh: '下单后多久发货？' });
    assert.deepEqual(ship?.answer, { zh: '您好，订单48小时内发货。' });
    assert.deepEqual(ship?.alternates, ['什么时候发货', '几天发出']);
    assert.deepEqual(refund?.answer, { en: 'Refunds take 1-3 days, "working" days.' });
    assert.deepEqual(pipe?.alternates, ['a|b', 'c']);
    assert.equal(pipe?.category, 'general');
  });

  it('takes answer_zh and answer_en columns together', () => {
    const [f] = csvToFaqs('id,question,answer_zh,answer_en\nx,问题,中文答案,English answer\n', 'x.csv');
    assert.deepEqual(f?.answer, { zh: '中文答案', en: 'English answer' });
  });

  it('round-trips CSV → KB files → CSV without loss', () => {
    const faqs = csvToFaqs(CSV, 'shop.csv');
    const dir = tempDir();
    writeFaqDir(dir, faqs, { force: false });
    const reloaded = loadKnowledgeBase(dir).faqs;
    const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);
    assert.deepEqual(strip([...reloaded].sort(byId)), strip([...faqs].sort(byId)));
    const exported = faqsToCsv(reloaded);
    assert.deepEqual(strip(csvToFaqs(exported, 'again.csv').sort(byId)), strip([...faqs].sort(byId)));
    assert.equal(faqsToCsv(csvToFaqs(exported, 'again.csv')), exported);
  });

  it('reports a malformed row with its line number and imports nothing', () => {
    const bad = `${CSV}\r\nbroken,only two fields\r\n,no id,,answer,\r\n`;
    assert.throws(
      () => csvToFaqs(bad, 'shop.csv'),
      (e: unknown) => e instanceof KbError && /shop\.csv:5/.test(e.message) && /shop\.csv:6: id/.test(e.message),
    );
  });

  it('refuses unknown and missing columns by name', () => {
    assert.throws(() => csvToFaqs('id,question,answr\n', 'h.csv'), /unknown column "answr"/);
    assert.throws(() => csvToFaqs('id,answer\n', 'h.csv'), /missing required column "question"/);
    assert.throws(() => csvToFaqs('', 'h.csv'), /empty/);
  });

  it('refuses duplicate ids with both line numbers', () => {
    assert.throws(() => csvToFaqs('id,question,answer\na,q,x\na,q2,y\n', 'd.csv'), /d\.csv:3: id: duplicate id "a" \(first on line 2\)/);
  });

  it('refuses an invalid id and an oversized field', () => {
    assert.throws(() => csvToFaqs('id,question,answer\n"../etc",q,x\n', 'd.csv'), /not a valid id/);
    assert.throws(() => csvToFaqs(`id,question,answer\na,q,${'x'.repeat(20_001)}\n`, 'd.csv'), /at most/);
  });

  it('refuses to overwrite an existing KB folder unless forced', () => {
    const dir = tempDir();
    const faqs = csvToFaqs(CSV, 'shop.csv');
    writeFaqDir(dir, faqs, { force: false });
    assert.throws(() => writeFaqDir(dir, faqs, { force: false }), /--force/);
    writeFaqDir(dir, faqs.slice(0, 1), { force: true });
    assert.equal(loadKnowledgeBase(dir).faqs.length, 1);
  });
});

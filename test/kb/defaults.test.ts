import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinLexicon, readReplies, readStopwords } from '../../src/kb/defaults.js';
import { lexiconFiles, readLexicon, readLexiconFiles } from '../../src/kb/lexicon-files.js';
import { KbError } from '../../src/kb/errors.js';
import { analyze } from '../../src/intents/analyze.js';
import { Lexicon } from '../../src/intents/lexicon.js';
import { cleanTempDirs, writeTree } from '../helpers/temp-kb.js';

describe('built-in language data', () => {
  after(cleanTempDirs);

  it('loads the shipped lexicon and stopwords', () => {
    const data = builtinLexicon();
    assert.ok(data.concepts.length > 200);
    assert.ok(data.concepts.some((c) => c.id === 'ship' && c.terms.includes('发货')));
    assert.ok(data.stopwords.includes('吗'));
  });

  it('reads product words in Cantonese, Taiwanese usage and typos, and keeps a word that means something else elsewhere out', () => {
    const data = builtinLexicon();
    const lexicon = new Lexicon(data.concepts, data.stopwords, data.asking);
    const concepts = (text: string): string[] => analyze(text, lexicon).concepts.map((c) => c.concept);
    assert.ok(concepts('部機好快冇電，叉唔入電').includes('battery'));
    assert.deepEqual(concepts('螢幕有壞點'), ['screen', 'screen_defect']);
    assert.ok(concepts('is it 100% cotton, can I machine wash it').includes('wash_care'));
    assert.ok(!concepts('is it 100% cotton, can I machine wash it').includes('used_worn'));
    const cups = concepts('拆開箱發現啲玻璃杯全部碎晒');
    assert.ok(cups.includes('kitchenware') && !cups.includes('material'), 'a glass cup is a cup, not a question about glass');
    assert.deepEqual(concepts('优惠券快过期了'), ['coupon', 'deadline']);
    assert.ok(!concepts('会员升级后有什么权益').includes('firmware'));
  });

  it('refuses a lexicon that is not a mapping of concepts, naming the file', () => {
    const dir = writeTree({ 'bad.yaml': 'concepts: [just, a, list]\n' });
    assert.throws(() => readLexicon(join(dir, 'bad.yaml')), (e: unknown) => e instanceof KbError && /bad\.yaml/.test(e.message) && /concepts/.test(e.message));
  });

  it('refuses a lexicon term that is not text, with its line', () => {
    const dir = writeTree({ 'bad.yaml': 'concepts:\n  ship:\n    zh: [发货]\n    en: [ship, {oops: 1}]\n' });
    assert.throws(() => readLexicon(join(dir, 'bad.yaml')), (e: unknown) => e instanceof KbError && /bad\.yaml:4: concepts\.ship\.en\[1\]/.test(e.message));
  });

  it('refuses a YAML syntax error and an over-long stopword', () => {
    const dir = writeTree({ 'syntax.yaml': 'zh: [的, 了\n', 'long.yaml': `zh: [${'长'.repeat(30)}]\n` });
    assert.throws(() => readStopwords(join(dir, 'syntax.yaml')), (e: unknown) => e instanceof KbError && e.code === 'KB_YAML_SYNTAX');
    assert.throws(() => readStopwords(join(dir, 'long.yaml')), /at most 20/);
  });

  it('refuses a replies file with an unknown section or fillers that are not zh and en lists, with the line', () => {
    const base = 'yes:\n  zh: [是]\nno:\n  zh: [不]\nskip:\n  en: [skip]\n';
    const dir = writeTree({ 'typo.yaml': `${base}filler:\n  en: [uh]\n`, 'list.yaml': `${base}fillers: [uh, um]\n`, 'ok.yaml': `${base}fillers:\n  en: [uh]\nparticles:\n  zh: [啊]\n` });
    assert.throws(() => readReplies(join(dir, 'typo.yaml')), (e: unknown) => e instanceof KbError && /typo\.yaml:\d+: filler: unknown field/.test(e.message));
    assert.throws(() => readReplies(join(dir, 'list.yaml')), (e: unknown) => e instanceof KbError && /list\.yaml:\d+: fillers: must be a mapping with zh and en lists/.test(e.message));
    assert.deepEqual(readReplies(join(dir, 'ok.yaml')).fillers, ['uh']);
  });

  it('merges topic files into the lexicon by concept id, and refuses a phrase under two concepts, naming both files', () => {
    const dir = writeTree({
      'customer-service.yaml': 'concepts:\n  ship:\n    zh: [发货]\n    en: [ship]\n',
      'topics/a-logistics.yaml': 'concepts:\n  ship:\n    zh: [寄出]\n    en: [dispatched]\n  parcel:\n    zh: [包裹]\n',
    });
    const merged = readLexiconFiles(lexiconFiles(dir));
    assert.deepEqual(merged.find((c) => c.id === 'ship')?.terms, ['发货', 'ship', '寄出', 'dispatched']);
    assert.ok(merged.some((c) => c.id === 'parcel'));
    writeFileSync(join(dir, 'topics', 'b-orders.yaml'), 'concepts:\n  send_out:\n    en: [shipping]\n    zh: [發貨]\n');
    assert.throws(
      () => readLexiconFiles(lexiconFiles(dir)),
      (e: unknown) => e instanceof KbError && /b-orders\.yaml.*"shipping" is already a phrase of concept ship \(.*customer-service\.yaml\)/.test(e.message) && /"發貨" is already a phrase of concept ship/.test(e.message),
    );
  });

  it('refuses a stopword file that is not a mapping', () => {
    const dir = writeTree({ 'list.yaml': '- 的\n- 了\n' });
    assert.throws(() => readStopwords(join(dir, 'list.yaml')), /zh and en/);
  });
});

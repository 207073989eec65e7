import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFaqIndex, type FaqIndex } from '../../../src/bot/core/faq-index.js';
import { decide } from '../../../src/bot/core/decide.js';
import { decisionToJson } from '../../../src/bot/core/decision-json.js';
import { buildInputs, cacheDirFrom, cachedIndex, KEPT_BUILDS, type CacheEvent } from '../../../src/bot/pipeline/index-cache.js';
import { packageRoot } from '../../../src/kb/defaults.js';
import { languageData } from '../../../src/kb/language-data.js';
import { lexiconFiles } from '../../../src/kb/lexicon-files.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';
import { cleanTempDirs, shopKb, tempDir } from '../../helpers/temp-kb.js';

/** Messages of every kind the decision core tells apart: FAQs, clarify, small talk, complaints, risks, typos. */
const MESSAGES = ['下单后多久发货？', '退款', '你好', '我要投诉，东西坏了', '充电器冒烟了', 'how lnog does shiping tke', '转人工', 'What is the weather like?', '發票怎麼開'];

describe('build cache', function () {
  this.timeout(60_000);
  afterEach(cleanTempDirs);

  function open(kbDir: string, dir: string | null): { index: FaqIndex; built: number; events: CacheEvent[] } {
    let built = 0;
    const events: CacheEvent[] = [];
    const index = cachedIndex(kbDir, () => (built++, buildFaqIndex(loadKnowledgeBase(kbDir), languageData())), { dir, onEvent: (e) => events.push(e) });
    return { index, built, events };
  }

  const decisions = (index: FaqIndex): unknown[] => MESSAGES.map((m) => decisionToJson(decide(index, m)));

  it('restores a stored build that decides every message exactly as the build it was taken of', () => {
    const kb = shopKb();
    const cache = tempDir();
    const first = open(kb, cache);
    assert.equal(first.built, 1);
    assert.deepEqual(first.events.map((e) => e.event), ['stored']);
    const second = open(kb, cache);
    assert.equal(second.built, 0, 'the second open trains nothing');
    assert.deepEqual(second.events.map((e) => e.event), ['hit']);
    assert.deepEqual(decisions(second.index), decisions(first.index));
  });

  it('builds again when a KB file changes, and keeps only the newest builds', () => {
    const kb = shopKb();
    const cache = tempDir();
    open(kb, cache);
    const faqs = join(kb, 'faqs', readdirSync(join(kb, 'faqs'))[0] as string);
    const original = readFileSync(faqs, 'utf8');
    for (let i = 0; i <= KEPT_BUILDS; i++) {
      writeFileSync(faqs, original.replace('48小时内发货', `${24 + i}小时内发货`));
      const edited = open(kb, cache);
      assert.equal(edited.built, 1, `edit ${i} is a new build`);
      assert.match(decide(edited.index, '下单后多久发货？').reply, new RegExp(`${24 + i}小时内发货`));
    }
    assert.equal(readdirSync(cache).filter((n) => n.endsWith('.tactidx')).length, KEPT_BUILDS);
  });

  it('keys a build on every file of the built-in lexicon, its topic files included', () => {
    const read = buildInputs(shopKb()).flatMap((i) => i.files);
    for (const file of lexiconFiles(join(packageRoot(), 'lexicon'))) assert.ok(read.includes(file), `${file} is not part of the build key`);
  });

  it('sets a damaged build aside and builds again', () => {
    const kb = shopKb();
    const cache = tempDir();
    open(kb, cache);
    const [name] = readdirSync(cache);
    const file = join(cache, name as string);
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] as number) ^ 0xff;
    writeFileSync(file, bytes);
    const after = open(kb, cache);
    assert.equal(after.built, 1);
    assert.deepEqual(after.events.map((e) => e.event), ['invalid', 'stored']);
    assert.equal(open(kb, cache).built, 0, 'the rebuilt build is stored whole');
  });

  it('answers without a cache when its path is a file, and says why', () => {
    const kb = shopKb();
    const notADir = join(tempDir(), 'file');
    writeFileSync(notADir, 'x');
    const r = open(kb, notADir);
    assert.equal(r.built, 1);
    assert.equal(r.events[0]?.event, 'unwritable');
    assert.equal(statSync(notADir).isFile(), true);
  });

  it('is off with TACT_CACHE_DIR=off, and reads relative folders from the working directory', () => {
    assert.equal(cacheDirFrom({ TACT_CACHE_DIR: 'off' }), null);
    assert.equal(cacheDirFrom({ TACT_CACHE_DIR: 'builds' }, '/srv/tact'), '/srv/tact/builds');
    assert.equal(cacheDirFrom({ XDG_CACHE_HOME: '/var/cache' }), '/var/cache/tact');
    const kb = shopKb();
    assert.equal(open(kb, null).built, 1);
    assert.equal(open(kb, null).built, 1);
  });
});

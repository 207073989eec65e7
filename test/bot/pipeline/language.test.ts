import assert from 'node:assert/strict';
import { languageAfter, switchLanguage } from '../../../src/bot/pipeline/language.js';
import { SessionBook } from '../../../src/bot/pipeline/sessions.js';
import { openLowdbStore } from '../../../src/bot/store/lowdb-store.js';
import type { Store } from '../../../src/bot/store/store.js';
import { Lexicon } from '../../../src/intents/lexicon.js';
import { builtinLexicon } from '../../../src/kb/defaults.js';
import { cleanTempDirs, tempDir } from '../../helpers/temp-kb.js';

const AT = '2026-11-27T02:00:00.000Z';
const SESSION = 'session-00000000000001';

describe("the pipeline's conversation language", () => {
  const { concepts, stopwords } = builtinLexicon();
  const lexicon = new Lexicon(concepts, stopwords);
  let store: Store;

  beforeEach(async () => {
    store = await openLowdbStore(tempDir());
  });
  afterEach(async () => {
    await store.close();
  });
  after(() => cleanTempDirs());

  it('follows what the customer types in a dialog step, but never the label of a button they tap', async () => {
    const session = await new SessionBook(store).load(SESSION, 'zh');
    assert.equal(languageAfter(lexicon, session, 'I would rather not give my number', null), 'en');
    assert.equal(languageAfter(lexicon, session, '13812345678', null), 'zh');
    session.lang = 'en';
    assert.equal(languageAfter(lexicon, session, '跳过', 'skip'), 'en', 'the skip button says 跳过 on a widget that has not caught up');
    assert.equal(languageAfter(lexicon, session, '跳过吧，不想留', null), 'zh');
  });

  it('stores a switch before making it, so a reload or a restart finds the conversation in the new language', async () => {
    const book = new SessionBook(store);
    const session = await book.load(SESSION, 'zh');
    assert.equal(await switchLanguage(store, session, 'en', AT), true);
    assert.equal(session.lang, 'en');
    assert.equal(session.conversation.lang, 'en');
    assert.equal(await switchLanguage(store, session, 'en', AT), false, 'no switch, nothing stored');
    assert.deepEqual(
      (await store.read(SESSION)).map((e) => (e.kind === 'session' ? e.lang : e.kind)),
      ['en'],
    );
    const rebuilt = await new SessionBook(store).load(SESSION, 'zh');
    assert.equal(rebuilt.lang, 'en');
    assert.equal(rebuilt.conversation.lang, 'en');
  });

  it('keeps the verified customer when it stores a switch', async () => {
    const session = await new SessionBook(store).load(SESSION, 'zh');
    session.customer = { name: '王芳' };
    session.customerId = 'cust-42';
    await switchLanguage(store, session, 'en', AT);
    const rebuilt = await new SessionBook(store).load(SESSION, 'zh');
    assert.deepEqual([rebuilt.lang, rebuilt.customer, rebuilt.customerId], ['en', { name: '王芳' }, 'cust-42']);
  });
});

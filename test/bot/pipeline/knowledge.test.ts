import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReloadResult } from '../../../src/bot/pipeline/knowledge.js';
import { faqVersion, saveFaq } from '../../../src/kb/edit.js';
import { loadFaqs } from '../../../src/kb/load.js';
import type { RunningServer } from '../../../src/bot/server.js';
import { ChatClient, testConfig, testServer } from '../../helpers/chat-server.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';

const GIFT_CARDS = `category: shop
faqs:
  - id: gift-cards
    question: { zh: 你们卖礼品卡吗？, en: Do you sell gift cards? }
    alternates: [有没有购物卡, 礼品卡怎么买, can I buy a gift voucher]
    answer:
      zh: 您好，礼品卡可以在“我的-礼品卡”页面购买，面额 100 至 2000 元。
      en: 'Gift cards are on the "Me - Gift cards" page, from 100 to 2000 yuan.'
`;

describe('knowledge base hot reload', function () {
  this.timeout(30_000);
  let server: RunningServer;
  let kbDir: string;

  before(async () => {
    kbDir = shopKb();
    server = await testServer(testConfig(kbDir), { watchKb: true });
  });
  after(async () => {
    await server.close();
    cleanTempDirs();
  });

  const nextReload = (): Promise<ReloadResult> => new Promise((resolve) => {
    const stop = server.knowledge.onReload((r) => {
      stop();
      resolve(r);
    });
  });

  it('serves a valid edit within about a second and refuses an invalid one, while messages keep flowing and every one is answered', async () => {
    let flowing = true;
    let asked = 0;
    // Customers keep asking throughout the edits (each a different question, so none is "asked again"); none may go unanswered.
    const traffic = (async () => {
      const questions = ['下单后多久发货？', '退款多久到账？', '怎么开发票？'];
      while (flowing) {
        const { client } = await ChatClient.open(server.url, { lang: 'zh' });
        await client.reply();
        for (const q of questions) {
          await client.say(q);
          await client.reply();
          asked++;
        }
        client.close();
      }
    })();

    const valid = nextReload();
    const saved = Date.now();
    writeFileSync(join(kbDir, 'faqs', 'gift-cards.yaml'), GIFT_CARDS);
    const ok = await valid;
    assert.equal(ok.ok, true, ok.ok ? '' : ok.problems.join('\n'));
    assert.ok(Date.now() - saved < 3000, `live ${Date.now() - saved} ms after the save`);
    assert.equal(server.knowledge.current.kb.faqs.length, 7);

    const invalid = nextReload();
    writeFileSync(join(kbDir, 'faqs', 'broken.yaml'), 'category: shop\nfaqs:\n  - id: broken\n    question: { zh: 坏了 }\n');
    const refused = await invalid;
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.problems.join('\n'), /broken\.yaml:\d+: .*answer/);
    assert.equal(server.knowledge.current.kb.faqs.length, 7, 'the previous KB keeps serving');

    flowing = false;
    await traffic;
    assert.ok(asked >= 2, `messages flowed during the edits (${asked})`);
    const other = await ChatClient.open(server.url, { lang: 'zh' });
    await other.client.reply();
    await other.client.say('你们卖礼品卡吗？');
    assert.match((await other.client.reply()).text, /礼品卡可以在/);
    other.client.close();
  });

  it('serves every save made through the app, though each replaces the file it edits', async () => {
    const repaired = nextReload();
    rmSync(join(kbDir, 'faqs', 'broken.yaml'));
    assert.equal((await repaired).ok, true);
    for (const answer of ['您好，订单会在付款后24小时内发货。', '您好，订单会在付款后12小时内发货。', '您好，订单会在付款当天发货。']) {
      const faq = loadFaqs(kbDir).find((f) => f.id === 'ship-time');
      assert.ok(faq);
      const reloaded = nextReload();
      saveFaq(kbDir, { ...faq, answer: { zh: answer } }, faqVersion(faq), 'lin');
      assert.equal((await reloaded).ok, true);
      assert.equal(server.knowledge.current.faqs.get('ship-time')?.answer.zh, answer);
    }
  });
});

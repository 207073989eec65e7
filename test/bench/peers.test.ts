/**
 * Smoke tests for the benchmark peers (bench/peers): each learns a tiny FAQ
 * set, gets an unseen paraphrase that shares words right, and does not
 * confidently match gibberish. Also checks the jieba segmenter wrapper.
 */
import assert from 'node:assert/strict';
import { jiebaSegment } from '../../bench/peers/jieba.js';
import { minisearchPeer } from '../../bench/peers/minisearch.js';
import { naturalBayesPeer } from '../../bench/peers/natural-bayes.js';
import { nlpjsPeer } from '../../bench/peers/nlpjs.js';
import type { Example, Peer, Prediction } from '../../bench/peers/peer.js';

function examples(byLabel: Record<string, string[]>): Example[] {
  return Object.entries(byLabel).flatMap(([label, texts]) => texts.map((text) => ({ text, label })));
}

const EN = examples({
  refund: ['how do I get a refund', 'I want my money back', 'refund my order please', 'can I return this for a refund'],
  shipping: ['where is my package', 'my order has not shipped yet', 'track my shipment', 'when will my parcel arrive'],
  password: ['I forgot my password', 'reset my password', 'cannot log in to my account', 'change my login password'],
  hours: ['what are your opening hours', 'when does the store open', 'are you open on sunday', 'what time do you close'],
  invoice: ['send me an invoice', 'I need a receipt for tax', 'download my invoice', 'where can I find my bill'],
  human: ['talk to a human', 'connect me with an agent', 'I want a real person', 'speak to customer support staff'],
});
const EN_PARAPHRASE = { text: 'please help me reset the password for my account', label: 'password' };

const ZH = examples({
  refund: ['怎么申请退款', '我要退钱', '这个订单可以退款吗', '退货退款流程是什么'],
  shipping: ['我的快递到哪了', '订单什么时候发货', '查一下物流', '包裹还没到'],
  password: ['忘记密码了', '怎么重置密码', '登录不了账号', '修改登录密码'],
  hours: ['你们几点开门', '营业时间是什么', '周末营业吗', '晚上几点关门'],
  invoice: ['怎么开发票', '我需要报销凭证', '下载电子发票', '发票在哪里看'],
  human: ['转人工', '我要找客服', '有没有真人', '帮我接通人工客服'],
});
const ZH_PARAPHRASE = { text: '我下的订单怎么还没发货', label: 'shipping' };
const GIBBERISH = 'qwxz zzkv';

async function ask(peer: Peer, text: string): Promise<Prediction> {
  return peer.predictAsync ? peer.predictAsync(text) : peer.predict(text);
}

/** Trains, then checks the paraphrase and the gibberish message. */
function checkPeer(make: () => Peer, data: Example[], paraphrase: Example): void {
  it(`predicts '${paraphrase.label}' for an unseen paraphrase`, async () => {
    const peer = make();
    await peer.train(data);
    const got = await ask(peer, paraphrase.text);
    assert.equal(got.label, paraphrase.label);
    assert.ok(got.score > 0 && got.score <= 1, `score ${got.score} in (0, 1]`);
  });
  it('says oos, or gives a low score, for gibberish', async () => {
    const peer = make();
    await peer.train(data);
    const got = await ask(peer, GIBBERISH);
    assert.ok(got.label === 'oos' || got.score < 0.3, JSON.stringify(got));
  });
}

describe('bench peers', () => {
  describe('MiniSearch (en)', () => checkPeer(minisearchPeer, EN, EN_PARAPHRASE));
  describe('MiniSearch (zh)', () => checkPeer(minisearchPeer, ZH, ZH_PARAPHRASE));
  describe('natural BayesClassifier (en)', () => checkPeer(naturalBayesPeer, EN, EN_PARAPHRASE));
  describe('natural BayesClassifier (zh)', () => checkPeer(naturalBayesPeer, ZH, ZH_PARAPHRASE));
  describe('NLP.js (en)', () => checkPeer(() => nlpjsPeer('en'), EN, EN_PARAPHRASE));
  describe('NLP.js (zh)', () => checkPeer(() => nlpjsPeer('zh'), ZH, ZH_PARAPHRASE));

  it('natural BayesClassifier: posterior survives inputs long enough to underflow natural', async () => {
    // 1200 unseen-by-the-other-class words make prior × Π P(w|c) < 1e-308 for both classes.
    const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}x${i}`).join(' ');
    const peer = naturalBayesPeer();
    await peer.train([{ text: words('aa', 1200), label: 'a' }, { text: words('bb', 1200), label: 'b' }]);
    const got = peer.predict(`${words('aa', 1200)} ${words('bb', 1100)}`);
    assert.equal(got.label, 'a');
    assert.ok(got.score > 0.99 && got.score <= 1, JSON.stringify(got));
  });

  it('NLP.js: predict() throws and points to predictAsync', () => {
    assert.throws(() => nlpjsPeer('en').predict('hi'), /predictAsync/);
  });

  it('NLP.js: oos examples train the None intent', async () => {
    const peer = nlpjsPeer('en');
    await peer.train([...EN, ...examples({ oos: ['tell me a joke', 'what is the meaning of life', 'sing me a song'] })]);
    assert.equal((await ask(peer, 'tell me a funny joke')).label, 'oos');
  });

  it('jiebaSegment splits a Chinese sentence into words', () => {
    const words = jiebaSegment('我昨天下的单怎么还没发货');
    assert.ok(words.length >= 4, words.join('/'));
    assert.ok(words.includes('发货'), words.join('/'));
    assert.equal(words.join(''), '我昨天下的单怎么还没发货');
  });
});

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { createApiHandler, MAX_BODY_BYTES } from '../../../../src/bot/channels/http/api.js';
import { Metrics } from '../../../../src/bot/channels/http/metrics.js';
import { decide } from '../../../../src/bot/core/decide.js';
import { decisionToJson } from '../../../../src/bot/core/decision-json.js';
import { buildFaqIndex } from '../../../../src/bot/core/faq-index.js';
import { languageData } from '../../../../src/kb/language-data.js';
import { loadKnowledgeBase } from '../../../../src/kb/load.js';
import { cleanTempDirs, shopKb } from '../../../helpers/temp-kb.js';

const TOKEN = 't'.repeat(40);

describe('the HTTP endpoints', () => {
  let server: Server;
  let base: string;
  before(async () => {
    const index = buildFaqIndex(loadKnowledgeBase(shopKb()), languageData());
    const metrics = new Metrics();
    const handler = createApiHandler({
      apiToken: TOKEN,
      ask: ({ text, customer }) => {
        metrics.messageReceived();
        const d = decide(index, text, undefined, customer);
        metrics.decided(d, 0.001);
        return decisionToJson(d);
      },
      health: () => ({ status: 'ok', faqs: index.kb.faqs.length }),
      metrics: () => metrics.render(),
    });
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    cleanTempDirs();
  });

  const ask = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers }, body });

  it('answers /api/ask with the full decision, addressing the customer by name', async () => {
    const res = await ask(JSON.stringify({ text: '转人工', name: '张伟', title: 'mr' }));
    assert.equal(res.status, 200);
    const d = (await res.json()) as Record<string, unknown>;
    assert.equal(d['action'], 'handoff');
    assert.equal(d['handoffReason'], 'requested');
    assert.match(String(d['suggestedReply']), /张先生/);
  });

  it('reports health and Prometheus metrics', async () => {
    assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok', faqs: 6 });
    const metrics = await fetch(`${base}/metrics`);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain; version=0\.0\.4/);
    assert.match(await metrics.text(), /^tact_messages_total \d+$/m);
  });

  it('refuses a missing or wrong token, without telling which', async () => {
    assert.equal((await ask('{"text":"hi"}', { authorization: '' })).status, 401);
    const wrong = await ask('{"text":"hi"}', { authorization: `Bearer ${'x'.repeat(40)}` });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'unauthorized');
  });

  const bad: [string, string, Record<string, string>, number, string][] = [
    ['malformed JSON', '{"text": ', {}, 400, 'malformed_json'],
    ['a body that is not an object', '["hi"]', {}, 400, 'invalid_body'],
    ['text that is not a string', '{"text": 42}', {}, 400, 'invalid_text'],
    ['a title other than mr or ms', '{"text": "hi", "title": "lord"}', {}, 400, 'invalid_title'],
    ['text over 4000 characters', JSON.stringify({ text: '退'.repeat(4001) }), {}, 400, 'text_too_long'],
    ['a body that is not JSON', 'text=hi', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ['an oversized body', JSON.stringify({ text: 'x'.repeat(MAX_BODY_BYTES) }), {}, 413, 'too_large'],
  ];
  for (const [what, body, headers, status, code] of bad) {
    it(`refuses ${what} with ${status} ${code}`, async () => {
      const res = await ask(body, headers);
      assert.equal(res.status, status);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, code);
    });
  }

  it('refuses an oversized body sent without a length, without reading it all', async () => {
    const status = await new Promise<string>((resolve) => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
        socket.write(`POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n`);
        const chunk = 'x'.repeat(8192);
        for (let i = 0; i < 4; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      });
      let got = '';
      socket.on('data', (d) => {
        got += d.toString();
        if (got.includes('\r\n')) socket.destroy();
      });
      socket.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
      socket.on('error', () => resolve(got.split('\r\n')[0] ?? ''));
    });
    assert.match(status, /413/);
  });

  it('answers unknown paths with 404 and wrong methods with 405, and keeps serving', async () => {
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    const r = await fetch(`${base}/api/ask`);
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'POST');
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });
});

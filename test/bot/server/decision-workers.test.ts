import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatClient, testConfig, testServer } from '../../helpers/chat-server.js';
import { cleanTempDirs, shopKb } from '../../helpers/temp-kb.js';
import { until } from '../../helpers/until.js';

describe('a server deciding in worker threads', function () {
  this.timeout(60_000);
  after(() => cleanTempDirs());

  it('answers customers over the socket, and after a KB edit answers from the edited KB', async () => {
    const kbDir = shopKb();
    const server = await testServer(testConfig(kbDir, { TACT_DECISION_WORKERS: '2' }), { watchKb: false });
    const clients: ChatClient[] = [];
    try {
      // Once both workers hold the KB, the decisions below are theirs.
      await until('both workers to hold the KB', async () => JSON.stringify(((await (await fetch(`${server.url}/healthz`)).json()) as { decisionWorkers?: unknown }).decisionWorkers) === '{"running":2,"ready":2}', 20_000);
      const asks = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const { client } = await ChatClient.open(server.url, { lang: 'zh' });
          clients.push(client);
          await client.say('下单后多久发货？');
          return (await client.reply()).text;
        }),
      );
      for (const text of asks) assert.match(text, /48小时内发货/);

      const file = join(kbDir, 'faqs', 'shop.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('订单会在付款后48小时内发货。', '订单会在付款后24小时内发货。'));
      assert.equal(server.knowledge.reload().ok, true);
      const { client } = await ChatClient.open(server.url, { lang: 'zh' });
      clients.push(client);
      await client.say('下单后多久发货？');
      assert.match((await client.reply()).text, /24小时内发货/);
    } finally {
      for (const c of clients) c.close();
      await server.close();
    }
  });
});

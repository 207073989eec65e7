import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockDataDir } from '../../src/bot/store/lock.js';
import { openLowdbStore } from '../../src/bot/store/lowdb-store.js';
import type { StoredEvent } from '../../src/bot/store/store.js';
import { cleanTempDirs, shopKb, tempDir } from '../helpers/temp-kb.js';

const BIN = join(process.cwd(), 'bin', 'tact.js');
const DEMO_KB = join(process.cwd(), 'knowledge-base');
/** Friday 10:00 in Shanghai: the demo KB's team is on duty. */
const OPEN = '2026-11-27T10:00+08:00';
/** Friday 23:30 in Shanghai: outside the demo KB's 09:00-22:00. */
const CLOSED = '2026-11-27T23:30+08:00';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The TMPDIR the chat ran with (its temporary data folder goes there). */
  readonly tmp: string;
}

/** `tact chat` with piped input, on the demo KB, at a time the team is on duty unless told otherwise. */
function chat(lines: readonly string[] | Buffer, args: readonly string[] = []): Run {
  const tmp = tempDir('tact-chat-tmp-');
  const input = Buffer.isBuffer(lines) ? lines : `${lines.join('\n')}\n`;
  const at = args.includes('--at') ? [] : ['--at', OPEN];
  const r = spawnSync(process.execPath, [BIN, 'chat', '--kb', DEMO_KB, ...at, ...args], { input, encoding: 'utf8', env: { ...process.env, TACT_KB_DIR: '', TMPDIR: tmp, LOG_LEVEL: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, tmp };
}

/** What the customer typed (echoed "> …") and the lines shown after it, turn by turn; the greeting is turn 0 with typed ''. */
function turns(stdout: string): { typed: string; shown: string }[] {
  const out = [{ typed: '', shown: [] as string[] }];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('> ')) out.push({ typed: line.slice(2), shown: [] });
    else (out[out.length - 1] as { shown: string[] }).shown.push(line);
  }
  return out.map((t) => ({ typed: t.typed, shown: t.shown.join('\n') }));
}

/** `tact chat` with its input kept open, for what happens between lines (an edit, a signal); stop() ends it however the test went. */
function liveChat(args: readonly string[]) {
  const tmp = tempDir('tact-chat-tmp-');
  const kb = args.includes('--kb') ? [] : ['--kb', DEMO_KB];
  const child = spawn(process.execPath, [BIN, 'chat', ...kb, '--at', OPEN, ...args], { env: { ...process.env, TACT_KB_DIR: '', TMPDIR: tmp, LOG_LEVEL: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const seen = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (seen.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (seen.stderr += chunk));
  return {
    child,
    tmp,
    exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))),
    get stdout() {
      return seen.stdout;
    },
    get stderr() {
      return seen.stderr;
    },
    say: (line: string) => void child.stdin.write(`${line}\n`),
    /** Resolves with the text once it matches; fails after a minute. */
    until: async (text: () => string, pattern: RegExp): Promise<string> => {
      for (let i = 0; i < 600 && !pattern.test(text()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.match(text(), pattern);
      return text();
    },
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

async function storedEvents(dataDir: string): Promise<readonly StoredEvent[]> {
  const store = await openLowdbStore(dataDir);
  try {
    const ids = await store.conversations();
    assert.equal(ids.length, 1, 'one conversation per chat');
    return await store.read(ids[0] as string);
  } finally {
    await store.close();
  }
}

describe('tact chat', function () {
  // Each case runs the real CLI, which builds its classifiers at start: seconds each, more on a busy 2-core machine.
  this.timeout(120_000);
  after(cleanTempDirs);

  it('takes a complaint step by step, as the web chat does, and files it with a ticket number', () => {
    const r = chat(['我要投诉，快递员态度太差', '跳过', '快递员没打电话就把包裹扔在门口', '希望补发并道歉', '是的', '跳过']);
    assert.equal(r.code, 0, r.stderr);
    const t = turns(r.stdout);
    assert.match(t[0]?.shown ?? '', /^bot: 您好，欢迎光临/, 'the welcome greets the customer first');
    assert.match(t[1]?.shown ?? '', /非常抱歉给您带来了不好的体验[\s\S]*订单号[\s\S]*\n {2}\[1\] 跳过$/);
    assert.match(t[2]?.shown ?? '', /具体经过/);
    assert.match(t[3]?.shown ?? '', /希望我们怎样处理/);
    assert.match(t[4]?.shown ?? '', /跟您确认一下.*扔在门口 \/ 希望补发并道歉[\s\S]*\[1\] 是的\n {2}\[2\] 不是/);
    assert.match(t[5]?.shown ?? '', /手机号或邮箱/);
    assert.match(t[6]?.shown ?? '', /^\[queued · position 1\]\nbot: 您的投诉已登记，投诉单号为 T\d{4}-[0-9A-Z]{5}，由.+负责处理/);
    assert.equal(t.length, 7, 'piped input ends the chat after the last line\'s replies, with no survey');
    assert.deepEqual(readdirSync(r.tmp), [], 'its temporary data folder is removed on exit');
  });

  it('goes back to what happened when the restatement is wrong, said in free text ("不对，…") or by the number of "不是"', () => {
    const r = chat(['我要投诉，快递员态度太差', '跳过', '包裹被扔在门口淋湿了', '希望换货', '不对，我是要退款', '包裹被扔在门口淋湿了', '退款', '2']);
    assert.equal(r.code, 0, r.stderr);
    const t = turns(r.stdout);
    assert.equal(t[5]?.typed, '不对，我是要退款');
    assert.match(t[5]?.shown ?? '', /^bot: 请您描述一下具体经过/);
    assert.match(t[7]?.shown ?? '', /跟您确认一下.*淋湿了 \/ 退款/);
    assert.equal(t[8]?.typed, '2');
    assert.match(t[8]?.shown ?? '', /^bot: 请您描述一下具体经过/, 'choice 2 is "不是"');
  });

  it('puts a customer who asks for a person in the queue with their place, and after hours offers to leave a message instead', () => {
    const open = turns(chat(['转人工', '我要找人工客服']).stdout);
    assert.match(open[1]?.shown ?? '', /排在第 1 位，预计等待约[\s\S]*\n\[queued · position 1\]$/);
    assert.match(open[2]?.shown ?? '', /第 1 位/, 'asking again while waiting gets the current place');
    const closed = turns(chat(['转人工'], ['--at', CLOSED]).stdout);
    assert.match(closed[1]?.shown ?? '', /^bot: 您好，现在不在人工服务时间内（服务时间：09:00-22:00）[\s\S]*周六\s*09:00 上班后[\s\S]*\[1\] 留言\s*$/, 'no "connecting you now" before it');
  });

  it('takes a message for the team with /duty off: what it is about, then contact details, filed as a ticket', () => {
    const data = tempDir('tact-chat-data-');
    const r = chat(['/duty off', '转人工', '1', '订单一直没到', 'me@example.com'], ['--data', data]);
    assert.equal(r.code, 0, r.stderr);
    const t = turns(r.stdout);
    assert.match(t[2]?.shown ?? '', /暂时没有同事在线[\s\S]*\[1\] 留言$/);
    assert.match(t[5]?.shown ?? '', /\[a message left for the team: the reply comes here\]\nbot: 您的留言已收到，单号 T\d{4}-[0-9A-Z]{5}.*联系方式/);
    assert.match(r.stderr, /you are off duty/);
  });

  it('ends the chat with /end: the survey runs, takes a score and a comment, and the command exits when it is done', async () => {
    const data = tempDir('tact-chat-data-');
    const r = chat(['请问多久发货', '/end', '5', '小林很耐心', '这一行不会被发送'], ['--data', data]);
    assert.equal(r.code, 0, r.stderr);
    const t = turns(r.stdout);
    assert.match(t[2]?.shown ?? '', /^bot: 请问您对本次服务满意吗？.*\n {2}\[1\] \[2\] \[3\] \[4\] \[5\]$/);
    assert.match(t[3]?.shown ?? '', /意见或建议/);
    assert.match(t[4]?.shown ?? '', /再见/);
    assert.equal(t.length, 5, 'nothing is read after the survey is done');
    const rating = (await storedEvents(data)).find((e) => e.kind === 'rating');
    assert.deepEqual(rating && rating.kind === 'rating' ? [rating.score, rating.comment] : null, [5, '小林很耐心']);
  });

  it('picks one of the choices shown by its number, as tapping the button would', async () => {
    const data = tempDir('tact-chat-data-');
    const r = chat(['shipping info', '2'], ['--data', data, '--lang', 'en']);
    assert.equal(r.code, 0, r.stderr);
    const t = turns(r.stdout);
    const second = /\n {2}\[2\] (.+)/.exec(t[1]?.shown ?? '')?.[1];
    assert.ok(second, `a clarifying question with at least two choices: ${t[1]?.shown}`);
    assert.match(t[2]?.shown ?? '', /anything else/i, 'the chosen FAQ is answered, not asked about again');
    const events = await storedEvents(data);
    const picked = events.filter((e) => e.kind === 'message' && e.from === 'customer')[1];
    assert.ok(picked?.kind === 'message');
    assert.equal(picked.text, second, 'the choice\'s title is what the customer said');
    assert.match(picked.payload ?? '', /^faq:/);
    const decisions = events.filter((e) => e.kind === 'decision');
    assert.deepEqual(decisions.map((d) => (d.kind === 'decision' ? d.action : null)), ['clarify', 'answer']);
    assert.equal(decisions[1]?.kind === 'decision' ? `faq:${decisions[1].faqId}` : null, picked.payload);
  });

  it('speaks English from the greeting on with --lang en, through the complaint intake and the survey', () => {
    const r = chat(['I want to file a complaint, the courier was very rude', 'skip', 'He threw the parcel at my door', 'An apology', 'yes', 'skip', '/end', '4', 'skip'], ['--lang', 'en']);
    assert.equal(r.code, 0, r.stderr);
    const t = turns(r.stdout);
    assert.match(t[0]?.shown ?? '', /^bot: Hello, welcome to Tact Shop/);
    assert.match(t[1]?.shown ?? '', /order number[\s\S]*\[1\] Skip$/);
    assert.match(t[4]?.shown ?? '', /"He threw the parcel at my door \/ An apology"[\s\S]*\[1\] Yes\n {2}\[2\] No/);
    assert.match(t[6]?.shown ?? '', /\[queued · position 1\]\nbot: Your complaint has been filed with reference number T\d{4}-[0-9A-Z]{5}/);
    assert.match(t[7]?.shown ?? '', /How satisfied were you/);
    assert.match(t[9]?.shown ?? '', /goodbye/i);
  });

  it('lets the person at the keyboard play the agent: join, write, step away, resolve; the survey follows', () => {
    const r = chat(['/agent 还没人接入', '转人工', '/join 小林', '我的快递到哪了', '/agent 您好，我来帮您查一下', '/back', '/away', '/back', '/resolve', '5', '跳过']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /tact chat: no agent has the chat: \/join NAME first/);
    assert.match(r.stderr, /tact chat: the agent has not stepped away/);
    const t = turns(r.stdout);
    assert.equal(t[1]?.shown, '', 'an agent command nobody could take sends nothing');
    assert.match(t[3]?.shown ?? '', /^bot: 客服小林已接入[\s\S]*\n\[agent 小林 joined\]$/);
    assert.equal(t[4]?.shown, '', 'while the agent has the chat the bot stays quiet');
    assert.equal(t[5]?.shown, 'agent 小林: 您好，我来帮您查一下');
    assert.equal(t[6]?.shown, '', 'a "back" without an "away" is refused at the keyboard and sends nothing');
    assert.match(t[7]?.shown ?? '', /小林暂时离开一下/);
    assert.equal(t[8]?.shown, '[agent 小林 is back]');
    assert.match(t[9]?.shown ?? '', /^\[the bot has the chat\]\nbot: 请问您对本次服务满意吗/);
    assert.match(t[11]?.shown ?? '', /再见/);
  });

  it('reads malformed input without failing: blank lines, control characters, a 10,000-character line, invalid UTF-8', () => {
    const input = Buffer.concat([
      Buffer.from('\n   \t \n\u0000\u0001\u0002\n'),
      Buffer.from(`${'长'.repeat(10_001)}\n`),
      Buffer.from('\u001b[31m请问\u0000多久发货\u0007'),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0a]),
    ]);
    const r = chat(input);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /tact chat: line 4 is 10001 characters; a message may have at most 2000: not sent/);
    assert.doesNotMatch(r.stdout, /[^\P{Cc}\n]/u, 'no control character reaches the terminal');
    const t = turns(r.stdout);
    assert.equal(t.length, 2, 'only the one readable message was sent');
    assert.match(t[1]?.typed ?? '', /^\[31m请问多久发货\uFFFD/);
    assert.match(t[1]?.shown ?? '', /48 小时内发货/);
  });

  it('answers from a KB edit saved during the chat, and keeps answering from the previous KB when an edit does not load', async () => {
    const kb = shopKb();
    const faqs = join(kb, 'faqs', 'shop.yaml');
    const live = liveChat(['--kb', kb]);
    try {
      live.say('下单后多久发货？');
      assert.match(await live.until(() => live.stdout, /48小时内发货/), /48小时内发货/);
      writeFileSync(faqs, readFileSync(faqs, 'utf8').replace('订单会在付款后48小时内发货。', '订单会在付款后24小时内发货。'));
      await live.until(() => live.stderr, /tact chat: the knowledge base was reloaded: 6 FAQs/);
      live.say('订单几天能发出');
      assert.match(await live.until(() => live.stdout, /24小时内发货/), /24小时内发货/);
      writeFileSync(faqs, 'category: shop\nfaqs:\n  - id: broken\n');
      assert.match(await live.until(() => live.stderr, /was not loaded/), /the knowledge base edit was not loaded; the previous one still answers:\n {2}.*shop\.yaml/);
    } finally {
      live.stop();
    }
  });

  it('removes its temporary data folder when interrupted with Ctrl-C, and exits with 130', async () => {
    const live = liveChat([]);
    try {
      live.say('请问多久发货');
      await live.until(() => live.stdout, /48 小时内发货/);
      assert.deepEqual(readdirSync(live.tmp).filter((f) => f.startsWith('tact-chat-')).length, 1, 'the conversation is in a temporary data folder');
      live.child.kill('SIGINT');
      assert.equal(await live.exited, 130);
    } finally {
      live.stop();
    }
    assert.deepEqual(readdirSync(live.tmp), [], 'removed after Ctrl-C');
  });

  it('refuses a data folder another Tact process holds, and wrong flags, with a clear message', () => {
    const data = tempDir('tact-chat-data-');
    const lock = lockDataDir(data);
    try {
      const r = chat(['你好'], ['--data', data]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^tact chat: the data directory .* is in use by another Tact process.*\(STORE_LOCKED\)/);
    } finally {
      lock.release();
    }
    const lang = chat([], ['--lang', 'fr']);
    assert.equal(lang.code, 2);
    assert.match(lang.stderr, /--lang must be zh or en, not "fr"/);
    const at = chat([], ['--at', 'tomorrow']);
    assert.equal(at.code, 2);
    assert.match(at.stderr, /--at must be a date and time, e.g. 2026-11-27T10:00\+08:00, not "tomorrow"/);
  });
});

/**
 * `tact chat [--kb PATH] [--lang zh|en] [--name NAME] [--title mr|ms]
 * [--data DIR] [--at TIME] [--explain]`: the bot itself in a terminal — the
 * same engine, scripts and store as the server, on a terminal channel
 * (channels/terminal) — so a KB editor can try every flow without a
 * browser: FAQ answers, clarifying choices, complaint intake, the queue,
 * an agent taking over (played with /join, /agent, /resolve) and the
 * survey. Agents are not connected (no Slack): a handoff waits in the queue
 * as it does on a server without Slack.
 *
 * Reads one customer message per line, at a terminal or from a pipe (each
 * line echoed as "> line", so the output is the conversation). Ctrl-D or
 * /end ends the chat and the survey runs; the command exits when the survey
 * is done, at a second Ctrl-D, or when piped input runs out (after the last
 * line's replies). The conversation is stored in a temporary folder deleted
 * on exit, or kept in --data DIR. A KB folder is watched as the server
 * watches it, so an edit saved while chatting answers the next message.
 * --at sets the clock the bot sees (service hours); --explain prints each
 * decision the core makes, as `tact ask` does.
 */
import { statSync } from 'node:fs';
import type { Lang } from '../kb/types.js';
import { languageData } from '../kb/language-data.js';
import { Metrics } from '../bot/channels/http/metrics.js';
import { TERMINAL_AGENT, TerminalChat } from '../bot/channels/terminal/terminal-chat.js';
import { LOG_LEVELS, type LogLevel } from '../bot/config.js';
import type { Decision } from '../bot/core/decision.js';
import type { FaqIndex } from '../bot/core/faq-index.js';
import { RateLimiter } from '../bot/core/rate-limit.js';
import { DEFAULT_LIMITS } from '../bot/limits.js';
import { createLogger, type Logger } from '../bot/log.js';
import { NO_AGENTS } from '../bot/pipeline/agents.js';
import { Desk } from '../bot/pipeline/desk.js';
import { Outlet } from '../bot/pipeline/deliver.js';
import { createEngine, type TurnAdapter } from '../bot/pipeline/engine.js';
import type { Inbound } from '../bot/pipeline/turn-io.js';
import { registerScripts } from '../scripts/index.js';
import { HandoffGate } from '../bot/pipeline/handoff-limit.js';
import { Knowledge, type ReloadResult } from '../bot/pipeline/knowledge.js';
import { Presence } from '../bot/pipeline/presence.js';
import { SessionBook } from '../bot/pipeline/sessions.js';
import type { BotDeps } from '../bot/pipeline/turn.js';
import { StoreError } from '../bot/store/store.js';
import { customerFrom, formatDecision } from './ask.js';
import { openChatData, type ChatData } from './chat-data.js';
import { keyboard, type Keyboard } from './chat-lines.js';
import { cacheDirFrom } from '../bot/pipeline/index-cache.js';
import { DECIDE_HERE } from '../bot/pipeline/decider.js';
import { NO_COMMITMENTS } from '../bot/pipeline/commitments.js';
import { openIndex, parse, resolveKbPath, UsageError } from './usage.js';

/** How often a waiting customer's reminders are checked (at a terminal only: piped output stays the same whatever the timing). */
const DESK_TICK_MS = 1000;
/** Exit codes after a signal: 128 + its number, as shells report them. */
const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export async function chatCommand(args: readonly string[]): Promise<number> {
  const { values } = parse(args, {
    kb: { type: 'string' },
    name: { type: 'string' },
    title: { type: 'string' },
    lang: { type: 'string' },
    data: { type: 'string' },
    at: { type: 'string' },
    explain: { type: 'boolean' },
  });
  const customer = customerFrom(values.name, values.title);
  const lang = langFrom(values.lang);
  const started = Date.now();
  const now = clockFrom(values.at, started);
  const interactive = process.stdin.isTTY === true;
  const log = createLogger(logLevel(), (line) => process.stderr.write(line));
  const knowledge = openKnowledge(values.kb, log);
  const index = (): FaqIndex => knowledge.current;
  // Before the temporary folder exists: process.exit runs its removal, a signal's default action would not.
  let closeKeys = (): void => undefined;
  const offSignals = exitOnSignals(() => closeKeys());
  let data: ChatData;
  try {
    data = await openChatData(values.data, log);
  } catch (err) {
    offSignals();
    knowledge.close();
    if (!(err instanceof StoreError)) throw err;
    process.stderr.write(`tact chat: ${err.message} (${err.code})\n`);
    return 2;
  }

  const keys = keyboard(interactive, () => process.exit(SIGNALS.SIGINT));
  closeKeys = () => keys.close();
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // The reader of a pipe went away (`tact chat | head`): nobody is listening any more.
    if (err.code === 'EPIPE') process.exit(0);
  });

  const sessions = new SessionBook(data.store);
  let engine: TurnAdapter | null = null;
  const receive = (sessionId: string, input: Inbound): Promise<void> => (engine as TurnAdapter).receive(sessionId, input);
  const presence = Presence.inMemory();
  presence.active(TERMINAL_AGENT, now(), Number.POSITIVE_INFINITY);
  const desk = new Desk(receive, presence, now);
  const note = (text: string): void => (interactive ? keys.show(`${text}\n`) : void process.stderr.write(`tact chat: ${text}\n`));
  // The terminal is the one connection (the Delivery port); created below, once the outlet it stores through exists.
  let chat: TerminalChat | null = null;
  const outlet = new Outlet(sessions, { send: (id, item, origin) => chat?.send(id, item, origin) }, now);
  chat = new TerminalChat({ sessions, accept: (session, message, origin) => outlet.accept(session, message, origin), desk, receive, now, lang, customer, show: (lines) => keys.show(lines.map((l) => `${l}\n`).join('')), note, echo: !interactive });
  knowledge.onReload((r) => note(r.ok ? `the knowledge base was reloaded: ${r.faqs} FAQs` : `the knowledge base edit was not loaded; the previous one still answers:\n  ${r.problems.join('\n  ')}`));
  const explain = values.explain ? (d: Decision): void => keys.show(formatDecision(d)) : null;
  engine = await createEngine(botDeps({ index, store: data.store, sessions, desk, now, log }, explain), outlet.deliver, registerScripts);

  if (interactive) {
    const where = data.temporary ? 'this conversation is stored in a temporary folder, deleted on exit' : `conversations are kept in ${data.dir}`;
    keys.show(`Tact · ${index().kb.faqs.length} FAQs from ${resolveKbPath(values.kb)} · ready in ${Date.now() - started} ms · ${where}\nType as the customer; a number picks one of the choices shown. Ctrl-D or /end ends the chat (the survey follows); /help lists the agent commands.\n`);
  }
  const timer = interactive ? setInterval(() => void desk.tick(now().getTime()).catch((err: unknown) => log.error('desk.tick_failed', { err })), DESK_TICK_MS) : null;
  try {
    await converse(chat, keys, interactive, log, note);
  } finally {
    keys.close();
    knowledge.close();
    if (timer) clearInterval(timer);
    await engine.idle();
    await data.close();
    offSignals();
  }
  return 0;
}

/** Opens the chat, then one line at a time until the chat is over or the input ends. */
async function converse(chat: TerminalChat, keys: Keyboard, interactive: boolean, log: Logger, note: (text: string) => void): Promise<void> {
  await chat.open();
  for (;;) {
    const read = await keys.next();
    // From a pipe the end of input is the end; at a terminal the first Ctrl-D ends the chat and a second one leaves.
    if (read.kind === 'eof' && (!interactive || chat.ended)) return;
    if (read.kind === 'eof') note('the chat has ended: answer the survey, or press Ctrl-D again to leave');
    try {
      if ((read.kind === 'eof' ? await chat.end() : await chat.type(read.text)) === 'over') return;
    } catch (err) {
      // The web chat logs a failed turn and goes on; so does this.
      log.error('chat.turn_failed', { session: chat.id, err });
      note('that line could not be answered (see the error above); the chat goes on');
    }
  }
}

/** What the scripts need, built as the server builds it, with no agent surface (no Slack): handoffs wait in the queue. */
function botDeps(parts: Pick<BotDeps, 'index' | 'store' | 'sessions' | 'desk' | 'now' | 'log'>, explain: ((d: Decision) => void) | null): BotDeps {
  return {
    ...parts,
    handoffs: new HandoffGate(new RateLimiter(DEFAULT_LIMITS.handoffsPerAddress), new RateLimiter(DEFAULT_LIMITS.handoffsPerSession)),
    agents: NO_AGENTS,
    decider: DECIDE_HERE,
    // A terminal chat lives for the process: a follow-up days later has nobody to reach.
    commitments: NO_COMMITMENTS,
    metrics: new Metrics(),
    ...(explain ? { decided: (_sessionId: string, d: Decision) => explain(d) } : {}),
  };
}

/** Ctrl-C, SIGTERM or a closed terminal end the process at once (the temporary folder goes with it); returns how to stop listening. */
function exitOnSignals(before: () => void): () => void {
  const offs = Object.entries(SIGNALS).map(([signal, code]) => {
    const handler = (): void => {
      before();
      process.exit(code);
    };
    process.once(signal, handler);
    return () => void process.off(signal, handler);
  });
  return () => offs.forEach((off) => off());
}

/**
 * The KB the bot answers from. A KB folder is watched, as the server watches
 * it, so an edit saved while chatting answers the next message (or, if it
 * does not load, is named and the previous KB goes on answering); a .csv or
 * .jsonl is read once.
 */
function openKnowledge(flag: string | undefined, log: Logger): { readonly current: FaqIndex; onReload(listener: (r: ReloadResult) => void): void; close(): void } {
  const path = resolveKbPath(flag);
  if (!isDirectory(path)) {
    const fixed = openIndex(flag);
    return { current: fixed, onReload: () => undefined, close: () => undefined };
  }
  // The chat says what a reload did in its own words; the log keeps only what goes wrong otherwise.
  const quiet: Logger = { ...log, info: () => undefined, error: (event, fields) => (event === 'kb.rejected' ? undefined : log.error(event, fields)) };
  const knowledge = new Knowledge(path, languageData(), quiet, cacheDirFrom(process.env));
  knowledge.watch();
  return knowledge;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function langFrom(flag: string | undefined): Lang {
  if (flag === undefined || flag === 'zh' || flag === 'en') return flag ?? 'zh';
  throw new UsageError(`--lang must be zh or en, not "${flag}"`);
}

/** The clock the bot sees: the real one, or one that starts at --at and runs from there. */
function clockFrom(flag: string | undefined, started: number): () => Date {
  if (flag === undefined) return () => new Date();
  const at = new Date(flag).getTime();
  if (Number.isNaN(at)) throw new UsageError(`--at must be a date and time, e.g. 2026-11-27T10:00+08:00, not "${flag}"`);
  return () => new Date(at + (Date.now() - started));
}

/** LOG_LEVEL when it names a level, else warnings and errors only: the terminal is for the conversation. */
function logLevel(): LogLevel {
  return LOG_LEVELS.find((l) => l === process.env['LOG_LEVEL']) ?? 'warn';
}

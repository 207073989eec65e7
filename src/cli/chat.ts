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
 * on exit, or kept in --data DIR. --at sets the clock the bot sees (service
 * hours), --explain prints each decision the core makes, as `tact ask` does.
 */
import type { Lang } from '../kb/types.js';
import { Metrics } from '../bot/channels/http/metrics.js';
import { TerminalChat } from '../bot/channels/terminal/terminal-chat.js';
import { LOG_LEVELS, type LogLevel } from '../bot/config.js';
import { RateLimiter } from '../bot/core/rate-limit.js';
import { DEFAULT_LIMITS } from '../bot/limits.js';
import { createLogger, type Logger } from '../bot/log.js';
import { NO_AGENTS } from '../bot/pipeline/agents.js';
import { Desk } from '../bot/pipeline/desk.js';
import { createEngine, type Inbound, type TurnAdapter } from '../bot/pipeline/engine.js';
import { HandoffGate } from '../bot/pipeline/handoff-limit.js';
import { SessionBook } from '../bot/pipeline/sessions.js';
import type { BotDeps } from '../bot/pipeline/turn.js';
import { StoreError } from '../bot/store/store.js';
import { customerFrom, formatDecision } from './ask.js';
import { openChatData, type ChatData } from './chat-data.js';
import { keyboard, type Keyboard } from './chat-lines.js';
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
  const index = openIndex(values.kb);
  const interactive = process.stdin.isTTY === true;
  const log = createLogger(logLevel(), (line) => process.stderr.write(line));
  // Before the temporary folder exists: process.exit runs its removal, a signal's default action would not.
  let keys: Keyboard | null = null;
  const onSignal = Object.entries(SIGNALS).map(([signal, code]) => {
    const handler = (): void => {
      keys?.close();
      process.exit(code);
    };
    process.once(signal, handler);
    return () => process.off(signal, handler);
  });
  let data: ChatData;
  try {
    data = await openChatData(values.data, log);
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    process.stderr.write(`tact chat: ${err.message} (${err.code})\n`);
    for (const off of onSignal) off();
    return 2;
  }

  keys = keyboard(interactive, () => process.exit(SIGNALS.SIGINT));
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // The reader of a pipe went away (`tact chat | head`): nobody is listening any more.
    if (err.code === 'EPIPE') process.exit(0);
  });

  const sessions = new SessionBook(data.store);
  let engine: TurnAdapter | null = null;
  const receive = (sessionId: string, input: Inbound): Promise<void> => (engine as TurnAdapter).receive(sessionId, input);
  const desk = new Desk(receive);
  const note = (text: string): void => (interactive ? keys.show(`${text}\n`) : void process.stderr.write(`tact chat: ${text}\n`));
  const chat = new TerminalChat({ sessions, store: data.store, desk, receive, now, lang, customer, show: (lines) => keys.show(lines.map((l) => `${l}\n`).join('')), note, echo: !interactive });
  const deps: BotDeps = {
    index: () => index,
    store: data.store,
    sessions,
    desk,
    handoffs: new HandoffGate(new RateLimiter(DEFAULT_LIMITS.handoffsPerAddress), new RateLimiter(DEFAULT_LIMITS.handoffsPerSession)),
    agents: NO_AGENTS,
    now,
    log,
    metrics: new Metrics(),
    ...(values.explain ? { decided: (_sessionId: string, d: Parameters<typeof formatDecision>[0]) => keys.show(formatDecision(d)) } : {}),
  };
  engine = await createEngine(deps, (sessionId, out) => chat.deliver(sessionId, out));

  if (interactive) {
    const where = data.temporary ? 'this conversation is stored in a temporary folder, deleted on exit' : `conversations are kept in ${data.dir}`;
    keys.show(`Tact · ${index.kb.faqs.length} FAQs from ${resolveKbPath(values.kb)} · ready in ${Date.now() - started} ms · ${where}\nType as the customer; a number picks one of the choices shown. Ctrl-D or /end ends the chat (the survey follows); /help lists the agent commands.\n`);
  }
  const timer = interactive ? setInterval(() => void desk.tick(now().getTime()).catch((err: unknown) => log.error('desk.tick_failed', { err })), DESK_TICK_MS) : null;
  try {
    await converse(chat, keys, interactive, log, note);
  } finally {
    keys.close();
    if (timer) clearInterval(timer);
    await engine.idle();
    await data.close();
    for (const off of onSignal) off();
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

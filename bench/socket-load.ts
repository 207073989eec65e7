/**
 * The socket section's load generator, in its own process so it never shares
 * an event loop with the server it measures. Two phases against one server,
 * each on fresh sockets, each a warm-up second then five measured seconds:
 *
 *   max   64 sockets, each keeping 4 messages in flight (the next goes when a reply comes)
 *   rate  1,000 messages/s open loop, spread over the 64 sockets by wall clock
 *
 * Customers ask the demo KB's regression cases that get an FAQ answer, each
 * session a different rotation and never a text twice. A session the policy
 * still hands to the human queue (the bot then stays quiet) is replaced with
 * a fresh one; its waiting messages are counted apart, not as lost.
 * Open-loop latency runs from when a message was due, not when it left.
 * Run by bench/socket.ts, which reads the result over IPC:
 *
 *   fork('dist/bench/socket-load.js', ['tact' | 'botkit', url])   (Tact: url[,url…], one per instance)
 */
import { round } from '../src/bot/core/faq-outcome.js';
import { percentile } from '../src/eval/evaluate.js';
import { faqTexts } from './faq-texts.js';
import { botkitClient, tactClient, type ChatClient, type ClientHooks, type OpenClient, type Sent } from './socket-clients.js';
import { DRAIN_MS, IN_FLIGHT, MEASURE_MS, RATE, SOCKETS, WARMUP_MS, type Latency, type LoadResult, type PhaseResult } from './socket-plan.js';

/** Counts and times one phase's messages. */
class Phase {
  readonly acks: number[] = [];
  readonly replies: number[] = [];
  /** The measured window, set when sending starts. */
  from = Infinity;
  to = Infinity;
  sent = 0;
  answered = 0;
  answeredInWindow = 0;
  toQueued = 0;
  sessionsQueued = 0;
  sessionsOpened = 0;
  socketsLost = 0;
  private next = 0;
  private settled: (() => void) | null = null;

  message(at: number): Sent {
    this.sent++;
    return { id: `m${++this.next}`, at, ackAt: null, replyAt: null };
  }

  measured(m: Sent): boolean {
    return m.at >= this.from && m.at < this.to;
  }

  /** The hooks every client of this phase reports to; `more` is told when a slot may send again (closed loop). */
  hooks(more: (n: number) => void): ClientHooks {
    return {
      ack: (m) => {
        if (this.measured(m)) this.acks.push((m.ackAt as number) - m.at);
      },
      reply: (m) => {
        const replyAt = m.replyAt as number;
        this.answered++;
        if (replyAt >= this.from && replyAt < this.to) this.answeredInWindow++;
        if (this.measured(m)) this.replies.push(replyAt - m.at);
        more(1);
        this.check();
      },
      queued: (unanswered) => {
        this.sessionsQueued++;
        this.toQueued += unanswered.length;
        more(unanswered.length);
        this.check();
      },
      lost: (why) => {
        this.socketsLost++;
        process.stderr.write(`socket lost: ${why}\n`);
      },
    };
  }

  /** Resolves once every message is answered or written off, or after DRAIN_MS. */
  drained(): Promise<void> {
    if (this.outstanding() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, DRAIN_MS);
      this.settled = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private outstanding(): number {
    return this.sent - this.answered - this.toQueued;
  }

  private check(): void {
    if (this.outstanding() === 0) this.settled?.();
  }
}

interface Session {
  readonly client: ChatClient;
  /** Where in the texts this session's rotation starts. */
  readonly first: number;
  used: number;
}

/** One concurrency position: a session at a time, replaced when it is queued or has asked every text once. */
class Slot {
  private current: Promise<Session>;
  private readonly clients: ChatClient[] = [];

  constructor(
    private readonly open: OpenClient,
    private readonly texts: readonly string[],
    private readonly phase: Phase,
    private readonly hooks: ClientHooks,
  ) {
    this.current = this.session();
  }

  ready(): Promise<unknown> {
    return this.current;
  }

  send(m: Sent): void {
    const current = this.current;
    void current.then((s) => {
      if (current !== this.current) return this.send(m);
      if (s.used >= this.texts.length) {
        this.current = this.session();
        return this.send(m);
      }
      s.client.send(m, this.texts[(s.first + s.used++) % this.texts.length] as string);
    });
  }

  close(): void {
    for (const c of this.clients) c.close();
  }

  private async session(): Promise<Session> {
    // Sessions start their rotations apart, so they do not all ask the same thing at once.
    const first = (this.phase.sessionsOpened++ * 37) % this.texts.length;
    const client = await this.open({
      ...this.hooks,
      queued: (unanswered) => {
        this.current = this.session();
        this.hooks.queued(unanswered);
      },
    });
    this.clients.push(client);
    return { client, first, used: 0 };
  }
}

async function runPhase(open: OpenClient, texts: readonly string[], kind: 'max' | 'rate'): Promise<PhaseResult> {
  const phase = new Phase();
  let sending = false;
  const slots: Slot[] = [];
  const slotHooks = (i: number): ClientHooks =>
    phase.hooks((n) => {
      if (kind !== 'max' || !sending) return;
      for (let k = 0; k < n; k++) (slots[i] as Slot).send(phase.message(performance.now()));
    });
  for (let i = 0; i < SOCKETS; i++) slots.push(new Slot(open, texts, phase, slotHooks(i)));
  await Promise.all(slots.map((s) => s.ready()));
  const cpu = process.cpuUsage();
  const start = performance.now();
  phase.from = start + WARMUP_MS;
  phase.to = phase.from + MEASURE_MS;
  sending = true;
  if (kind === 'max') {
    for (const slot of slots) for (let k = 0; k < IN_FLIGHT; k++) slot.send(phase.message(performance.now()));
    await sleep(WARMUP_MS + MEASURE_MS);
  } else {
    await openLoop(slots, phase, start);
  }
  sending = false;
  await phase.drained();
  const used = process.cpuUsage(cpu);
  const clientCpuPct = Math.round(((used.user + used.system) / 1000 / (performance.now() - start)) * 100);
  for (const s of slots) s.close();
  return summary(phase, clientCpuPct);
}

function summary(phase: Phase, clientCpuPct: number): PhaseResult {
  return {
    repliesPerSecond: Math.round(phase.answeredInWindow / (MEASURE_MS / 1000)),
    ackMs: phase.acks.length > 0 ? latency(phase.acks) : null,
    replyMs: latency(phase.replies),
    sent: phase.sent,
    answered: phase.answered,
    unanswered: phase.sent - phase.answered - phase.toQueued,
    toQueued: phase.toQueued,
    sessionsQueued: phase.sessionsQueued,
    sessionsOpened: phase.sessionsOpened,
    socketsLost: phase.socketsLost,
    clientCpuPct,
  };
}

/** Sends message i when it is due (start + i ms at 1,000/s) to socket i mod 64, whatever has been answered. */
function openLoop(slots: readonly Slot[], phase: Phase, start: number): Promise<void> {
  const total = (RATE * (WARMUP_MS + MEASURE_MS)) / 1000;
  let i = 0;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      for (let due = start + (i * 1000) / RATE; i < total && due <= now; due = start + (i * 1000) / RATE) {
        (slots[i % slots.length] as Slot).send(phase.message(due));
        i++;
      }
      if (i < total) return;
      clearInterval(timer);
      resolve();
    }, 1);
  });
}

function latency(ms: number[]): Latency {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 0.5)), p99: round(percentile(sorted, 0.99)), max: round(sorted[sorted.length - 1] ?? 0) };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const [system, url] = process.argv.slice(2);
  if ((system !== 'tact' && system !== 'botkit') || !url) throw new Error('usage: socket-load.js tact|botkit <ws url>');
  // Tact: one URL per instance, comma-separated.
  const open = system === 'tact' ? tactClient(url.split(',')) : botkitClient(url);
  const texts = faqTexts();
  const result: LoadResult = { max: await runPhase(open, texts, 'max'), rate: await runPhase(open, texts, 'rate') };
  process.send?.(result);
  process.disconnect?.();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
  process.disconnect?.();
});

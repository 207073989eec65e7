/**
 * Crash-safe turns, as a job queue keeps jobs: a customer message is
 * acknowledged once it is stored, and its turn stays pending until a `turn`
 * event says it finished. So a message acknowledged just before a crash is
 * still answered: the server runs every pending turn again when it starts.
 *
 * The turn engine's middleware (around Botkit's turn) runs a customer
 * message's turn only while it is pending and records it finished once
 * Botkit is done with it — answered, a dialog step, forwarded to the agent,
 * or nothing to say. A re-sent message or a re-run therefore never answers
 * twice, and a turn that failed is run again by the next re-send or start.
 */
import type { MiddlewareHandler, TurnContext } from 'botbuilder';
import type { Inbound } from './turn-io.js';
import type { Logger } from '../log.js';
import type { OpenConversation, Store, StoredEvent } from '../store/store.js';
import type { SessionBook } from './sessions.js';

/** The widget id of a customer message's turn, or null for events (welcome, agent actions…). */
function customerMessageId(context: TurnContext): string | null {
  const { type, id } = context.activity;
  return type === 'message' && typeof id === 'string' && id !== '' ? id : null;
}

/**
 * The engine middleware: a customer message's turn runs while it is pending,
 * once, and is then recorded finished. A turn that throws stays pending.
 *
 * @example adapter.use(runPendingTurnsOnce(sessions, now, log));
 */
export function runPendingTurnsOnce(sessions: SessionBook, now: () => Date, log: Logger): MiddlewareHandler {
  return async (context, next) => {
    const id = customerMessageId(context);
    if (id === null) return next();
    const session = await sessions.load(context.activity.conversation.id, 'zh');
    if (session.clientIds.has(id) && !session.pendingTurns.has(id)) {
      log.debug('turn.already_finished', { session: session.id, message: id });
      return;
    }
    session.turnInProgress = id;
    try {
      await next();
    } finally {
      session.turnInProgress = null;
    }
    if (session.pendingTurns.has(id)) await sessions.finishTurn(session, id, now().toISOString());
  };
}

/** What a pending turn needs at startup: run again, only recorded finished because its effects were already stored, or given up. */
export type Resumption =
  | { readonly kind: 'rerun'; readonly input: Extract<Inbound, { kind: 'message' }> }
  | { readonly kind: 'finished' }
  | { readonly kind: 'given_up'; readonly reruns: number };

/**
 * Startups that may run one turn again. A turn whose script crashes the
 * server would otherwise be run at every start, a crash loop; after this
 * many tries it is recorded finished and logged for a person to look at.
 */
export const MAX_RERUNS = 2;

/**
 * What to do with customer message `id`'s pending turn, from the
 * conversation's events. A bot reply or dialog state stored by its turn (they
 * carry its id), or an agent's reply after it, means its turn ran but the
 * server stopped before recording it finished: answering again would answer
 * twice.
 */
export function resumption(events: readonly StoredEvent[], id: string): Resumption {
  const at = lastIndexOf(events, (e) => e.kind === 'message' && e.from === 'customer' && e.id === id);
  const message = events[at];
  if (message?.kind !== 'message') return { kind: 'finished' };
  const after = events.slice(at + 1);
  // Only what this turn stored counts (tagged with its id), or a person's reply: a greeting or another turn's
  // dialog state stored after the message, while its turn waited in the queue, answered nothing.
  const answered = after.some((e) => (e.kind === 'message' && (e.from === 'agent' || (e.from === 'bot' && e.turn === id))) || (e.kind === 'dialog' && e.turn === id));
  if (answered) return { kind: 'finished' };
  const reruns = after.filter((e) => e.kind === 'rerun' && e.id === id).length;
  if (reruns >= MAX_RERUNS) return { kind: 'given_up', reruns };
  return { kind: 'rerun', input: { kind: 'message', text: message.text, payload: message.payload ?? null, clientId: id, ...(message.contact !== undefined ? { contact: message.contact } : {}), ...(message.file ? { file: message.file } : {}) } };
}

function lastIndexOf<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}

export interface ResumeDeps {
  readonly store: Store;
  readonly sessions: SessionBook;
  /** The turn engine's way in, the same one the chat socket uses. */
  readonly receive: (sessionId: string, input: Inbound) => Promise<void>;
  readonly now: () => Date;
  readonly log: Logger;
  /**
   * Only turns of customer messages stored at least this long ago (several
   * instances: the leader looks for turns an instance that died left
   * pending, and must leave alone the ones a live instance is running now).
   */
  readonly olderThanMs?: number;
}

/**
 * At startup: every pending turn run again, in order per conversation
 * (conversations in parallel). Resolves when they have all finished, or
 * after `waitMs` so a turn that hangs cannot keep the server from starting;
 * the rest go on in their turn queues, ahead of anything the customer sends.
 * A conversation that cannot be read is logged with its id and skipped.
 *
 * @example await resumePendingTurns(await store.unfinished(), { store, sessions, receive, now, log }, 10_000);
 */
export async function resumePendingTurns(open: readonly OpenConversation[], d: ResumeDeps, waitMs: number): Promise<void> {
  const pending = open.filter((c) => c.pendingTurns.length > 0);
  if (pending.length === 0) return;
  d.log.info('turns.resuming', { conversations: pending.length, turns: pending.reduce((n, c) => n + c.pendingTurns.length, 0) });
  const all = Promise.all(pending.map((c) => resumeConversation(c, d).catch((err: unknown) => d.log.error('turns.resume_failed', { session: c.id, err }))));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), waitMs)));
  if ((await Promise.race([all, late])) === 'late') d.log.warn('turns.resume_slow', { message: `pending turns still running after ${waitMs} ms; starting anyway` });
  clearTimeout(timer);
}

async function resumeConversation(c: OpenConversation, d: ResumeDeps): Promise<void> {
  const events = await d.store.read(c.id);
  const session = await d.sessions.load(c.id, 'zh');
  const cutoff = d.olderThanMs === undefined ? null : d.now().getTime() - d.olderThanMs;
  const due = cutoff === null ? c.pendingTurns : c.pendingTurns.filter((id) => storedBefore(events, id, cutoff));
  // Queued all at once, so nothing the customer sends meanwhile can get ahead of them.
  const steps = due.map((id) => ({ id, next: resumption(events, id) }));
  // Each re-run is counted durably before it starts: if it takes the server down, the next start knows.
  await Promise.all(steps.filter((s) => s.next.kind === 'rerun').map((s) => d.store.append(c.id, { kind: 'rerun', at: d.now().toISOString(), id: s.id })));
  const runs = steps.map(({ id, next }) => {
    switch (next.kind) {
      case 'rerun':
        return d.receive(c.id, next.input);
      case 'finished':
        return d.sessions.finishTurn(session, id, d.now().toISOString());
      case 'given_up':
        d.log.error('turn.given_up', { session: c.id, message: id, reruns: next.reruns, why: 'this message was run again at startup and the server stopped each time; it is recorded finished and left for a person' });
        return d.sessions.finishTurn(session, id, d.now().toISOString());
    }
  });
  await Promise.all(runs);
}

/** Whether customer message `id` was stored before `cutoff` (ms). */
function storedBefore(events: readonly StoredEvent[], id: string, cutoff: number): boolean {
  const message = events.find((e) => e.kind === 'message' && e.from === 'customer' && e.id === id);
  return message !== undefined && Date.parse(message.at) < cutoff;
}

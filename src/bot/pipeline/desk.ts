/**
 * The help desk: customers waiting for a person, per team, in the order
 * they were handed off, and the agent actions that move a conversation on
 * (join, step away, come back, reply, return it to the bot, resolve).
 *
 * The desk decides nothing and says nothing itself: every change is raised
 * as an event on the session's turn queue, and the scripts phrase it to the
 * customer and store it. So agent actions run in order with the customer's
 * own messages and go through Botkit like everything else. Agent surfaces
 * (Slack, the admin page) call these methods; tests call them directly.
 */
import type { Inbound } from './engine.js';

export type Raise = (sessionId: string, event: Extract<Inbound, { kind: 'event' }>) => Promise<void>;

interface Waiting {
  readonly sessionId: string;
  readonly team: string;
  /** Remind the customer they are still in the queue this often. */
  readonly remindEveryMs: number;
  lastNotice: number;
}

export class Desk {
  private readonly queue: Waiting[] = [];

  constructor(private readonly raise: Raise) {}

  /** Puts a session at the back of its team's queue (once); returns its place, from 1. */
  enqueue(sessionId: string, team: string, remindEveryMs: number, now: number): number {
    if (!this.queue.some((w) => w.sessionId === sessionId)) this.queue.push({ sessionId, team, remindEveryMs, lastNotice: now });
    return this.position(sessionId) ?? 1;
  }

  /** The session's place in its team's queue, from 1; null when it is not waiting. */
  position(sessionId: string): number | null {
    const me = this.queue.find((w) => w.sessionId === sessionId);
    if (!me) return null;
    return this.queue.filter((w) => w.team === me.team).indexOf(me) + 1;
  }

  waiting(): readonly { readonly sessionId: string; readonly team: string }[] {
    return this.queue.map(({ sessionId, team }) => ({ sessionId, team }));
  }

  /** Reminds every customer who has waited another interval, with their current place. */
  async tick(now: number): Promise<void> {
    const due = this.queue.filter((w) => now - w.lastNotice >= w.remindEveryMs);
    for (const w of due) w.lastNotice = now;
    await Promise.all(due.map((w) => this.raise(w.sessionId, { kind: 'event', name: 'holding', data: { position: this.position(w.sessionId) ?? 1 } })));
  }

  claim(sessionId: string, agent: string): Promise<void> {
    this.leave(sessionId);
    return this.raise(sessionId, { kind: 'event', name: 'agent_joined', data: { agent } });
  }

  away(sessionId: string, agent: string): Promise<void> {
    return this.raise(sessionId, { kind: 'event', name: 'agent_away', data: { agent } });
  }

  back(sessionId: string, agent: string): Promise<void> {
    return this.raise(sessionId, { kind: 'event', name: 'agent_back', data: { agent } });
  }

  reply(sessionId: string, agent: string, text: string): Promise<void> {
    return this.raise(sessionId, { kind: 'event', name: 'agent_message', data: { agent, text } });
  }

  /** The agent hands the conversation back to the bot. */
  returnToBot(sessionId: string, agent: string): Promise<void> {
    this.leave(sessionId);
    return this.raise(sessionId, { kind: 'event', name: 'agent_returned', data: { agent } });
  }

  /** The case is done: the customer gets the survey. */
  resolve(sessionId: string, agent: string): Promise<void> {
    this.leave(sessionId);
    return this.raise(sessionId, { kind: 'event', name: 'agent_resolved', data: { agent } });
  }

  /** Takes a session out of the queue (claimed, returned, resolved, or the customer ended the chat). */
  leave(sessionId: string): void {
    const i = this.queue.findIndex((w) => w.sessionId === sessionId);
    if (i >= 0) this.queue.splice(i, 1);
  }
}

/**
 * Who may enter the human queue now. Agents are few; one script asking for
 * a person from sixty fresh sessions must not put a real customer at place
 * sixty-one. A handoff is counted per address (where the session's socket
 * said hello from) and per session (handed back to the bot and asking
 * again); over either limit the customer is told when to try again instead
 * of being queued. A session with no known address (rebuilt, no socket yet)
 * is counted by its session limit alone.
 */
import type { Limiter, Verdict } from '../core/rate-limit.js';
import type { ChatSession } from './sessions.js';

/**
 * The handoff limits of one server.
 * @example
 *   const gate = new HandoffGate(new RateLimiter({ burst: 5, perMinute: 0.2 }), new RateLimiter({ burst: 3, perMinute: 0.1 }));
 *   if (!(await gate.admit(session)).ok) sayWhenToTryAgain();
 */
export class HandoffGate {
  constructor(
    private readonly perAddress: Limiter,
    private readonly perSession: Limiter,
  ) {}

  /** The admission being decided; the next waits for it, so a look and its take are never split by another's. */
  private deciding: Promise<unknown> = Promise.resolve();

  /**
   * Counts a handoff for the session if both its limits allow one; otherwise how long until they would (nothing counted).
   * One at a time in this process; across instances the look and the take are two steps, so two instances admitting
   * one address in the same instant may both pass.
   */
  admit(session: Pick<ChatSession, 'id' | 'address'>): Promise<Verdict> {
    const verdict = this.deciding.then(() => this.decide(session));
    this.deciding = verdict.catch(() => undefined);
    return verdict;
  }

  private async decide(session: Pick<ChatSession, 'id' | 'address'>): Promise<Verdict> {
    const wait = Math.max(await this.perSession.wait(session.id), session.address === null ? 0 : await this.perAddress.wait(session.address));
    if (wait > 0) return { ok: false, retryAfterMs: wait };
    await this.perSession.take(session.id);
    if (session.address !== null) await this.perAddress.take(session.address);
    return { ok: true };
  }
}

/**
 * Where each session's handoff card was posted in Slack, both ways: the
 * post of a session (to thread replies under it, and update the card), and
 * the session of a thread (an agent's reply in it, "Save as FAQ" on it).
 * The outbox learns a post when Slack answers the call that made it, and
 * remembers it here; any instance must be able to find it, since Slack
 * sends a thread's events to whichever instance the load balancer picks.
 *
 * So a post is stored twice, each where one lookup reads little: in the
 * session's own log (`slack-card-<session>`, with its card), and in the log
 * of the channel's posts of that day (`slack-threads-<channel>-<day>`, the
 * day read from the post's ts, which a thread reply carries). Memory holds
 * what this instance learnt; what it does not know, it reads.
 */
import type { Store } from '../../store/store.js';
import { sessionLog, threadsLog } from './logs.js';

export interface SlackPost {
  readonly channel: string;
  readonly ts: string;
}

export class PostBook {
  private readonly byKey = new Map<string, SlackPost>();
  private readonly byThread = new Map<string, string>();

  constructor(private readonly store: Store) {}

  /** Learns a post without storing it (one read back from a log that already holds it). */
  learn(key: string, post: SlackPost): void {
    this.byKey.set(key, post);
    this.byThread.set(threadKey(post.channel, post.ts), key);
  }

  /** Learns a post Slack just made, and stores it for every instance. */
  async remember(key: string, post: SlackPost): Promise<void> {
    this.learn(key, post);
    const event = { kind: 'outbox', at: new Date().toISOString(), op: 'post', key, post } as const;
    const own = sessionLog(key);
    const thread = threadsLog(post.channel, post.ts);
    if (own !== null) await this.store.append(own, event);
    if (thread !== null) await this.store.append(thread, event);
  }

  /** The post remembered under a key, as this instance knows it (no read). */
  known(key: string): SlackPost | null {
    return this.byKey.get(key) ?? null;
  }

  /** The session whose post this is, as this instance knows it (no read). */
  knownKeyOf(channel: string, ts: string): string | null {
    return this.byThread.get(threadKey(channel, ts)) ?? null;
  }

  /** The post remembered under a key (a session's handoff post), read from the store when not known here. */
  async post(key: string): Promise<SlackPost | null> {
    const known = this.known(key);
    if (known) return known;
    const log = sessionLog(key);
    if (log === null) return null;
    let found: SlackPost | null = null;
    for (const e of await this.store.read(log)) if (e.kind === 'outbox' && e.op === 'post') found = e.post;
    if (found) this.learn(key, found);
    return found;
  }

  /** The session whose handoff post is `ts` in `channel` (for thread replies), read from the store when not known here. */
  async keyOf(channel: string, ts: string): Promise<string | null> {
    const known = this.knownKeyOf(channel, ts);
    if (known) return known;
    const log = threadsLog(channel, ts);
    if (log === null) return null;
    let found: string | null = null;
    for (const e of await this.store.read(log)) if (e.kind === 'outbox' && e.op === 'post' && e.post.ts === ts && e.post.channel === channel) found = e.key;
    if (found) this.byThread.set(threadKey(channel, ts), found);
    return found;
  }

  /** Forgets posts by key (not threads, which never move): another instance may have posted a session's card again since. */
  forgetKeys(): void {
    this.byKey.clear();
  }
}

function threadKey(channel: string, ts: string): string {
  return `${channel} ${ts}`;
}

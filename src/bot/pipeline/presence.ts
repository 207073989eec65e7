/**
 * Who can take a handed-off conversation right now. An agent is on duty
 * when they said so (the "on duty" toggle in Slack's Home tab or on the
 * admin page), or, unless they said they are off, when they acted lately
 * (claimed or answered a conversation in Slack, or had the admin page's
 * conversations view open). Saying "off duty" wins over recent activity:
 * an agent finishing a last reply does not count as available.
 *
 * The toggles are kept in the store (the `agent-duty` log), so a restart
 * does not send every agent off duty; activity fades, and with several
 * instances is shared through an ActivityBoard (cluster/agent-activity.ts).
 */
import type { Store } from '../store/store.js';

/** Activity counts as being on duty for this long. */
export const ACTIVE_MS = 15 * 60_000;
/** The admin page's conversations view refreshes well within this; past it the viewer has left. */
export const VIEWING_MS = 2 * 60_000;

export const DUTY_LOG = 'agent-duty';

/** An agent across surfaces: `slack:U123` or `admin:name`. */
export type AgentKey = `slack:${string}` | `admin:${string}`;

/** Where instances share agents' activity: each agent with when it stops counting (ms). */
export interface ActivityBoard {
  mark(agent: AgentKey, until: number): void;
  read(now: number): Promise<ReadonlyMap<AgentKey, number>>;
}

export class Presence {
  private readonly declared = new Map<AgentKey, boolean>();
  private readonly activeUntil = new Map<AgentKey, number>();

  private constructor(
    private readonly store: Store | null,
    private readonly board: ActivityBoard | null = null,
  ) {}

  /** Presence with toggles kept in the store (read back now), and activity shared through `board` when given. */
  static async open(store: Store, board: ActivityBoard | null = null): Promise<Presence> {
    const p = new Presence(store, board);
    await p.reload();
    return p;
  }

  /** Reads the toggles again, and the shared activity (several instances: an agent may have switched or acted on another). */
  async reload(): Promise<void> {
    if (!this.store) return;
    const events = await this.store.read(DUTY_LOG);
    this.declared.clear();
    for (const e of events) if (e.kind === 'duty') this.declared.set(e.agent as AgentKey, e.on);
    // Without the board's answer (Redis away), this instance's own activity still counts.
    const shared = await this.board?.read(Date.now()).catch(() => null);
    for (const [agent, until] of shared ?? []) this.noteActive(agent, until);
  }

  /** Presence kept in memory only (the terminal chat, tests). */
  static inMemory(): Presence {
    return new Presence(null);
  }

  /** The agent's own "on duty" / "off duty". */
  async declare(agent: AgentKey, on: boolean, now: Date): Promise<void> {
    await this.store?.append(DUTY_LOG, { kind: 'duty', at: now.toISOString(), agent, on });
    this.declared.set(agent, on);
  }

  /** The agent acted (claimed, answered) or is looking at the conversations view; counts for `forMs`. */
  active(agent: AgentKey, now: Date, forMs: number = ACTIVE_MS): void {
    const until = now.getTime() + forMs;
    if (this.noteActive(agent, until)) this.board?.mark(agent, until);
  }

  /** Keeps the later of two activities; true when this one is later. */
  private noteActive(agent: AgentKey, until: number): boolean {
    if (until <= (this.activeUntil.get(agent) ?? 0)) return false;
    this.activeUntil.set(agent, until);
    return true;
  }

  isOnDuty(agent: AgentKey, now: Date): boolean {
    const said = this.declared.get(agent);
    if (said !== undefined) return said;
    return (this.activeUntil.get(agent) ?? 0) > now.getTime();
  }

  /** Whether the agent said on or off, or null when they said neither (activity decides). */
  declaredBy(agent: AgentKey): boolean | null {
    return this.declared.get(agent) ?? null;
  }

  /** Agents on duty now. */
  onDuty(now: Date): AgentKey[] {
    const everyone = new Set<AgentKey>([...this.declared.keys(), ...this.activeUntil.keys()]);
    return [...everyone].filter((a) => this.isOnDuty(a, now));
  }
}

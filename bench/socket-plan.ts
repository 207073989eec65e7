/**
 * The socket section's load, in one place: how many sockets, how much in
 * flight, what rate and for how long, and what the load generator reports
 * (bench/socket-load.ts measures, bench/socket.ts prints).
 */
export const SOCKETS = 64;
export const IN_FLIGHT = 4;
export const RATE = 1000;
export const WARMUP_MS = 1000;
export const MEASURE_MS = 5000;
/** How long replies may keep coming once sending has stopped. */
export const DRAIN_MS = 15_000;

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface PhaseResult {
  /** Replies received per second in the measured window. */
  readonly repliesPerSecond: number;
  /** Over messages sent in the measured window; null where the protocol has no ack. */
  readonly ackMs: Latency | null;
  readonly replyMs: Latency;
  /** Every message of the phase, warm-up included. */
  readonly sent: number;
  readonly answered: number;
  /** Sent and never answered by the end of the drain. */
  readonly unanswered: number;
  /** Waiting in a session when it was handed to the queue (not counted as unanswered). */
  readonly toQueued: number;
  readonly sessionsQueued: number;
  readonly sessionsOpened: number;
  readonly socketsLost: number;
  /** The load generator's own CPU use, in % of one core, so a saturated client would show. */
  readonly clientCpuPct: number;
}

export interface LoadResult {
  readonly max: PhaseResult;
  readonly rate: PhaseResult;
}

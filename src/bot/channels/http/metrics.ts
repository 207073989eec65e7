/**
 * The counters GET /metrics exposes, in Prometheus' text format (0.0.4):
 * messages received, decisions by action, handoffs by reason, and a
 * decision-latency histogram, and the store's state (degraded or not,
 * failed folds, quarantined conversations). No dependency: a handful of
 * counters does not need a metrics library.
 */
import type { Decision } from '../../core/decision.js';
import type { StoreHealth } from '../../store/store.js';

/** Latency buckets in seconds: decisions take about a millisecond; the top buckets catch stalls. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] as const;

export class Metrics {
  private messages = 0;
  private readonly decisions = new Map<string, number>();
  private readonly handoffs = new Map<string, number>();
  private readonly buckets = new Array<number>(LATENCY_BUCKETS.length).fill(0);
  private latencyCount = 0;
  private latencySum = 0;

  messageReceived(): void {
    this.messages++;
  }

  decided(d: Decision, seconds: number): void {
    bump(this.decisions, d.action);
    if (d.action === 'handoff') bump(this.handoffs, d.handoffReason);
    this.latencyCount++;
    this.latencySum += seconds;
    LATENCY_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.buckets[i]!++;
    });
  }

  /** The Prometheus exposition text. */
  render(): string {
    const lines = [
      '# HELP tact_messages_total Customer messages received.',
      '# TYPE tact_messages_total counter',
      `tact_messages_total ${this.messages}`,
      '# HELP tact_decisions_total Decisions made, by action.',
      '# TYPE tact_decisions_total counter',
      ...[...this.decisions].map(([action, n]) => `tact_decisions_total{action="${action}"} ${n}`),
      '# HELP tact_handoffs_total Conversations handed to a person, by reason.',
      '# TYPE tact_handoffs_total counter',
      ...[...this.handoffs].map(([reason, n]) => `tact_handoffs_total{reason="${reason}"} ${n}`),
      '# HELP tact_decision_seconds Time to decide one message.',
      '# TYPE tact_decision_seconds histogram',
      ...LATENCY_BUCKETS.map((le, i) => `tact_decision_seconds_bucket{le="${le}"} ${this.buckets[i]}`),
      `tact_decision_seconds_bucket{le="+Inf"} ${this.latencyCount}`,
      `tact_decision_seconds_sum ${this.latencySum}`,
      `tact_decision_seconds_count ${this.latencyCount}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}

/** The store's gauges and counters, from its health (see Store.health). */
export function storeMetrics(h: StoreHealth): string {
  const lines = [
    '# HELP tact_store_degraded 1 while the store is degraded (a fold failing, a conversation quarantined, damage found), else 0.',
    '# TYPE tact_store_degraded gauge',
    `tact_store_degraded ${h.status === 'degraded' ? 1 : 0}`,
    '# HELP tact_store_failed_folds_total Folds of the log into the conversation files that failed (each is retried; nothing is lost).',
    '# TYPE tact_store_failed_folds_total counter',
    `tact_store_failed_folds_total ${h.failedFolds}`,
    '# HELP tact_store_quarantined_conversations Conversation files set aside under quarantine/ because they could not be read.',
    '# TYPE tact_store_quarantined_conversations gauge',
    `tact_store_quarantined_conversations ${h.quarantined}`,
  ];
  return `${lines.join('\n')}\n`;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** The desk now: live requests for a person (cancelled, ended or claimed ones are not counted) and agents on duty. */
export function deskMetrics(d: { readonly waiting: number; readonly agentsOnDuty: number }): string {
  const lines = [
    '# HELP tact_queue_waiting Customers waiting in the queue for a person now.',
    '# TYPE tact_queue_waiting gauge',
    `tact_queue_waiting ${d.waiting}`,
    '# HELP tact_agents_on_duty Agents who can take a conversation now (on-duty toggle, or recent activity in Slack or on the admin page).',
    '# TYPE tact_agents_on_duty gauge',
    `tact_agents_on_duty ${d.agentsOnDuty}`,
  ];
  return `${lines.join('\n')}\n`;
}

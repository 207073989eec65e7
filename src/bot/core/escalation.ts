/**
 * Who takes over a handed-off conversation, and how fast: the owning team
 * (Slack channel, supervisor) and SLA, from the KB's escalation matrix.
 *
 *   a reason with its own team (safety, fraud, legal …)  → that team, urgent SLA if marked urgent
 *   a complaint                                          → the team owning its cause; two or more causes → the coordinator
 *   anything else                                        → the team owning the FAQ's category, else the shop's default team
 */
import type { Analysis } from '../../intents/analyze.js';
import { TermSet } from '../../intents/terms.js';
import type { EscalationMatrix, HandoffReason, Lang, Sla, Team } from '../../kb/types.js';
import { pick } from './phrasing.js';

export interface Escalation {
  readonly team: string;
  readonly teamName: string;
  readonly channel: string;
  readonly supervisor: { readonly name: string; readonly slack: string };
  readonly sla: { readonly firstResponse: string; readonly resolution: string };
  readonly urgent: boolean;
  /** Complaint causes found (product_quality, logistics, …); empty for other reasons. */
  readonly causes: readonly string[];
  /** A resolved complaint gets a follow-up within this window. */
  readonly followUp: string;
}

export interface Route {
  readonly escalation: Escalation;
  readonly team: Team;
  readonly sla: Sla;
}

export class EscalationRouter {
  private readonly causes: TermSet<string>;

  /** `defaultTeam` (shop.yaml) takes every handoff the matrix gives no better team. */
  constructor(
    private readonly matrix: EscalationMatrix,
    private readonly defaultTeam: string,
  ) {
    this.causes = new TermSet(matrix.complaintCauses.flatMap((c) => c.keywords.map((phrase) => ({ phrase, value: c.id }))));
  }

  /** Complaint causes a message mentions, in the order the matrix lists them. */
  complaintCauses(analysis: Analysis): string[] {
    const found = new Set(this.causes.find(analysis.normalized, analysis.tokens).map((h) => h.value));
    return this.matrix.complaintCauses.map((c) => c.id).filter((id) => found.has(id));
  }

  route(reason: HandoffReason, category: string | null, causes: readonly string[], lang: Lang): Route {
    const m = this.matrix;
    const special = m.reasons[reason];
    const complaintCauses = reason === 'complaint' ? causes : [];
    const teamId = special?.team ?? (complaintCauses.length > 0 ? this.complaintTeam(complaintCauses) : undefined) ?? (category !== null ? m.routes[category] : undefined) ?? this.defaultTeam;
    const team = m.teams.get(teamId) ?? (m.teams.get(this.defaultTeam) as Team);
    const urgent = special?.urgent ?? false;
    const sla = urgent ? m.urgentSla : team.sla;
    const escalation = {
      team: team.id,
      teamName: pick(team.name, lang),
      channel: team.channel,
      supervisor: team.supervisor,
      sla: { firstResponse: sla.firstResponse.text, resolution: sla.resolution.text },
      urgent,
      causes: complaintCauses,
      followUp: m.followUp.text,
    };
    return { escalation, team, sla };
  }

  private complaintTeam(causes: readonly string[]): string | undefined {
    if (causes.length > 1) return this.matrix.coordinator;
    return this.matrix.complaintCauses.find((c) => c.id === causes[0])?.team;
  }
}

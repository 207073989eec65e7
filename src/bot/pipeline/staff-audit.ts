/**
 * Who did what on the admin pages, in the store's `staff-audit` log: each
 * desk action on a conversation, each reveal of a customer's contact details
 * for a call-back, each change to the staff accounts — who (their name),
 * when, which conversation and ticket. Never the data itself: a revealed
 * phone number or a reply's text stays out of it. (Knowledge-base edits go
 * to the KB's own audit.jsonl, kb/edit.ts, with the same names.)
 */
import type { AuditAction, Store, StoredEvent } from '../store/store.js';

export const AUDIT_LOG = 'staff-audit';

export type AuditEntry = Extract<StoredEvent, { kind: 'audit' }>;

export interface AuditFacts {
  readonly who: string;
  readonly action: AuditAction;
  readonly conversation?: string;
  readonly ticket?: string;
  /** The staff member an account change was about. */
  readonly subject?: string;
}

export async function recordAudit(store: Store, at: Date, facts: AuditFacts): Promise<void> {
  await store.append(AUDIT_LOG, { kind: 'audit', at: at.toISOString(), ...facts });
}

/** The latest entries, newest first. */
export async function latestAudit(store: Store, max: number): Promise<AuditEntry[]> {
  const entries = (await store.read(AUDIT_LOG)).filter((e): e is AuditEntry => e.kind === 'audit');
  return entries.slice(-max).reverse();
}

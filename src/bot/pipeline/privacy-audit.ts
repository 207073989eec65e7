/**
 * The record of what was done to customers' data: who exported or forgot
 * how many conversations, and each retention run, in the store's
 * `privacy-audit` log and the server's log. Never whose data: no id, phone
 * number or address is written, so the audit itself holds nothing to forget.
 */
import type { Logger } from '../log.js';
import type { Store, StoredEvent } from '../store/store.js';

export const PRIVACY_AUDIT_LOG = 'privacy-audit';

export type AuditEntry = Omit<Extract<StoredEvent, { kind: 'privacy'; op: 'audit' }>, 'kind' | 'op' | 'at'>;

/** Who acted, as the audit names them: a short staff name or role, never free text. */
export function auditActor(raw: string): string {
  const clean = raw.replace(/[^\p{L}\p{N}_.@ -]/gu, '').trim().slice(0, 64);
  return clean === '' ? 'unknown' : clean;
}

export async function audit(store: Store, log: Logger | null, at: Date, entry: AuditEntry): Promise<void> {
  await store.append(PRIVACY_AUDIT_LOG, { kind: 'privacy', op: 'audit', at: at.toISOString(), ...entry });
  log?.info('privacy.audit', { ...entry });
}

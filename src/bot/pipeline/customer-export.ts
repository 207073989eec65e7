/**
 * Everything Tact holds about one customer, as one JSON document (PIPL art.
 * 45, GDPR art. 15 and 20): each conversation (customer-lookup.ts) with its
 * messages, the tickets (handoffs) with what the customer left, survey
 * answers, follow-ups, the e-mails sent (addresses masked, as stored), the
 * files (described, and with `withFiles` their bytes in base64), and every
 * stored event as it is, so nothing held is left out.
 */
import type { CustomerKey } from '../core/customer-key.js';
import type { FileStore } from '../store/file-store.js';
import { numberedMessages, type Store, type StoredEvent, type StoredFile } from '../store/store.js';
import { customerConversations } from './customer-lookup.js';
import { audit } from './privacy-audit.js';
import type { Logger } from '../log.js';

export interface CustomerExport {
  readonly exportedAt: string;
  /** How the customer was looked up (the kind only: the file names the customer through its contents anyway). */
  readonly lookedUpBy: CustomerKey['kind'];
  readonly conversations: readonly ConversationExport[];
}

export interface ConversationExport {
  readonly id: string;
  readonly messages: readonly { readonly seq: number; readonly at: string; readonly from: string; readonly text: string; readonly contact?: string; readonly file?: string }[];
  readonly tickets: readonly { readonly ticket: string; readonly at: string; readonly reason: string; readonly team: string; readonly details: Readonly<Record<string, string>> }[];
  readonly survey: readonly { readonly at: string; readonly score: number; readonly comment: string | null }[];
  readonly followUps: readonly { readonly at: string; readonly ticket: string; readonly op: string; readonly solved?: boolean | null }[];
  readonly emails: readonly { readonly at: string; readonly what: string; readonly to: string }[];
  readonly files: readonly (StoredFile & { readonly base64?: string })[];
  readonly events: readonly StoredEvent[];
}

/** The export, recorded in the audit (who, how many conversations and files; never whose). */
export async function auditedExport(store: Store, files: FileStore, key: CustomerKey, opts: { readonly now: Date; readonly withFiles: boolean; readonly by: string; readonly log: Logger | null }): Promise<CustomerExport> {
  const data = await exportCustomer(store, files, key, opts.now, opts.withFiles);
  await audit(store, opts.log, opts.now, { action: 'export', by: opts.by, conversations: data.conversations.length, files: data.conversations.reduce((n, c) => n + c.files.length, 0) });
  return data;
}

export async function exportCustomer(store: Store, files: FileStore, key: CustomerKey, now: Date, withFiles: boolean): Promise<CustomerExport> {
  const found = await customerConversations(store, key);
  const conversations: ConversationExport[] = [];
  for (const [id, events] of found) conversations.push(await conversationExport(id, events, files, withFiles));
  return { exportedAt: now.toISOString(), lookedUpBy: key.kind, conversations };
}

async function conversationExport(id: string, events: readonly StoredEvent[], files: FileStore, withFiles: boolean): Promise<ConversationExport> {
  const messages = [...numberedMessages(events)].map(({ seq, message: m }) => ({ seq, at: m.at, from: m.from, text: m.text, ...(m.contact ? { contact: m.contact } : {}), ...(m.file ? { file: m.file.id } : {}) }));
  const described: (StoredFile & { base64?: string })[] = [];
  for (const { message: m } of numberedMessages(events)) {
    if (!m.file || (await files.meta(id, m.file.id)) === null) continue;
    const bytes = withFiles ? await files.read(id, m.file.id, 'file') : null;
    described.push({ ...m.file, ...(bytes ? { base64: bytes.toString('base64') } : {}) });
  }
  return {
    id,
    messages,
    tickets: events.flatMap((e) => (e.kind === 'handoff' ? [{ ticket: e.ticket, at: e.at, reason: e.reason, team: e.team, details: e.details }] : [])),
    survey: events.flatMap((e) => (e.kind === 'rating' ? [{ at: e.at, score: e.score, comment: e.comment }] : [])),
    followUps: events.flatMap((e) => (e.kind === 'followup' ? [{ at: e.at, ticket: e.ticket, op: e.op, ...(e.op === 'answered' ? { solved: e.solved } : {}) }] : [])),
    emails: events.flatMap((e) => (e.kind === 'mail' ? [{ at: e.at, what: e.what, to: e.to }] : [])),
    files: described,
    events,
  };
}

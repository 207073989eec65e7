/**
 * The customer's messages the server has not acknowledged yet, oldest first.
 * They are re-sent after every reconnect with the same id (the server
 * dedupes by id), and kept in sessionStorage, per tab like the page itself,
 * so a reload doesn't lose them. Only delivery removes one: an ack, or the
 * message turning up in a restored history.
 */
import type { FileRef } from '../bot/channels/web/protocol.js';
import { fileOf } from './server-frame.js';
import { readStored, writeStored } from './storage.js';

const KEY = 'tact.outbox';

export interface Pending {
  readonly id: string;
  readonly text: string;
  readonly payload: string | null;
  /** Contact details from the leave-a-message form, given with consent. */
  readonly contact?: string;
  /** A photo or PDF already uploaded, sent with the message. */
  readonly file?: FileRef;
}

export class Outbox {
  private items: Pending[] = load();

  get pending(): readonly Pending[] {
    return this.items;
  }

  add(text: string, payload: string | null, contact: string | null = null, file: FileRef | null = null): Pending {
    const item = { id: newId(), text, payload, ...(contact !== null ? { contact } : {}), ...(file !== null ? { file } : {}) };
    this.items.push(item);
    this.save();
    return item;
  }

  /** Removes a delivered message; returns it, or undefined if it wasn't pending. */
  remove(id: string): Pending | undefined {
    const item = this.items.find((p) => p.id === id);
    if (item === undefined) return undefined;
    this.items = this.items.filter((p) => p !== item);
    this.save();
    return item;
  }

  private save(): void {
    writeStored('sessionStorage', KEY, this.items.length > 0 ? JSON.stringify(this.items) : null);
  }
}

function load(): Pending[] {
  try {
    const stored: unknown = JSON.parse(readStored('sessionStorage', KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter(isPending) : [];
  } catch {
    return [];
  }
}

function isPending(v: unknown): v is Pending {
  if (typeof v !== 'object' || v === null) return false;
  const { id, text, payload, contact, file } = v as Record<string, unknown>;
  return typeof id === 'string' && typeof text === 'string' && (payload === null || typeof payload === 'string') && (contact === undefined || typeof contact === 'string') && (file === undefined || fileOf(file) !== undefined);
}

/** 24 hex digits from the browser's CSPRNG (randomUUID needs a secure context; shops still get embedded on http). */
function newId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}

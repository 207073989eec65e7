/**
 * The default Store: lowdb files under the data directory, one per
 * conversation (conversations/<id>.json), so appending a message rewrites
 * one short file however long the history grows. The only module that
 * imports lowdb.
 *
 * Appends to one conversation are queued and written in order; different
 * conversations write independently.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile } from './durable-file.js';
import { lockDataDir, type DirLock } from './lock.js';
import { checkConversationId, StoreError, type Store, type StoredEvent } from './store.js';

interface ConversationFile {
  readonly id: string;
  events: StoredEvent[];
}

/** Open conversations kept in memory; older ones are reloaded from disk when needed. */
const MAX_OPEN = 1000;

export function openLowdbStore(dataDir: string): Store {
  mkdirSync(join(dataDir, 'conversations'), { recursive: true });
  return new LowdbStore(dataDir, lockDataDir(dataDir));
}

class LowdbStore implements Store {
  private readonly open = new Map<string, Promise<Low<ConversationFile>>>();
  private readonly queues = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly dataDir: string,
    private readonly lock: DirLock,
  ) {}

  append(conversationId: string, event: StoredEvent): Promise<void> {
    this.checkOpen();
    checkConversationId(conversationId);
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const db = await this.db(conversationId);
      db.data.events.push(event);
      await db.write();
    });
    // A failed write must not block the conversation's later appends; the caller sees the failure.
    this.queues.set(conversationId, next.catch(() => undefined));
    return next;
  }

  async read(conversationId: string): Promise<readonly StoredEvent[]> {
    this.checkOpen();
    checkConversationId(conversationId);
    await this.queues.get(conversationId);
    return [...(await this.db(conversationId)).data.events];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.queues.values());
    this.lock.release();
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
  }

  private db(id: string): Promise<Low<ConversationFile>> {
    const cached = this.open.get(id);
    if (cached) return cached;
    if (this.open.size >= MAX_OPEN) this.open.delete(this.open.keys().next().value as string);
    const loading = (async () => {
      const db = new Low<ConversationFile>(new DurableJsonFile(join(this.dataDir, 'conversations', `${id}.json`)), { id, events: [] });
      await db.read();
      if (!Array.isArray(db.data?.events)) throw new StoreError('STORE_CORRUPT', `conversations/${id}.json has no events list; it was left as it is for inspection`);
      return db;
    })();
    this.open.set(id, loading);
    loading.catch(() => this.open.delete(id));
    return loading;
  }
}

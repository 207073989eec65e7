/**
 * `tact customer forget KEY` and `tact customer export KEY [--out FILE] [--files]`:
 * a customer's right to have their data deleted and to get a copy of it
 * (PIPL arts. 45 and 47, GDPR arts. 15, 17 and 20). KEY is a conversation
 * id, the id the shop's site verified the customer by, a phone number or an
 * e-mail address (core/customer-key.ts). Works on the server's store:
 * PostgreSQL with $TACT_DATABASE_URL (beside running servers), else the data
 * directory (--data, $TACT_DATA_DIR, ./data) with the server stopped, since
 * only one process may hold it (the admin page's Privacy form works while it
 * runs). What was done is counted on stdout and in the store's audit log,
 * never whose data it was.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { OutboxLog } from '../bot/channels/slack/outbox-log.js';
import { forgetInSlack } from '../bot/channels/slack/forget-posts.js';
import { CustomerKeyError, parseCustomerKey, type CustomerKey } from '../bot/core/customer-key.js';
import { createLogger } from '../bot/log.js';
import { auditedExport } from '../bot/pipeline/customer-export.js';
import { forgetCustomer, type ForgetDeps } from '../bot/pipeline/forget.js';
import { auditActor } from '../bot/pipeline/privacy-audit.js';
import { Scheduler } from '../bot/pipeline/scheduler.js';
import { isDataDir } from '../bot/store/data-dir.js';
import { DurableJsonFile } from '../bot/store/durable-file.js';
import type { FileStore } from '../bot/store/file-store.js';
import { openFileStore, openStore, storeLabel, type StoreConfig } from '../bot/store/open-store.js';
import { StoreError, type Store } from '../bot/store/store.js';
import { storeFs } from '../bot/store/store-fs.js';
import { parse, UsageError } from './usage.js';

export async function customerCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, { data: { type: 'string' }, out: { type: 'string' }, files: { type: 'boolean' }, by: { type: 'string' } });
  if (sub !== 'forget' && sub !== 'export') throw new UsageError(sub === undefined ? 'tact customer needs forget or export' : `unknown customer command ${JSON.stringify(sub.slice(0, 40))} (forget or export)`);
  if (positionals.length !== 1) throw new UsageError(`tact customer ${sub} takes one customer: a conversation id, customer id, phone number or e-mail address (quote it if it has spaces)`);
  if (sub === 'forget' && (values.out !== undefined || values.files)) throw new UsageError('--out and --files are for tact customer export');
  const key = customerKey(positionals[0] ?? '');
  const config = await storeConfig(values.data);
  if (typeof config === 'number') return config;
  const opened = await openOrExplain(config);
  if (opened === null) return 1;
  const { store, files } = opened;
  const by = auditActor(values.by ?? process.env['USER'] ?? 'cli');
  try {
    return sub === 'forget' ? await forget(store, files, key, by) : await exportTo(store, files, key, by, values.out, values.files ?? false);
  } finally {
    await files.close();
    await store.close();
  }
}

function customerKey(raw: string): CustomerKey {
  try {
    return parseCustomerKey(raw);
  } catch (err) {
    if (err instanceof CustomerKeyError) throw new UsageError(`${err.message} (${err.code})`);
    throw err;
  }
}

/** PostgreSQL when configured and no --data is given, else the data directory, which must already be one. */
async function storeConfig(data: string | undefined): Promise<StoreConfig | number> {
  const url = data === undefined ? process.env['TACT_DATABASE_URL'] || null : null;
  if (url !== null) return { kind: 'postgres', url };
  const dataDir = resolve(data ?? (process.env['TACT_DATA_DIR'] || 'data'));
  if (await isDataDir(dataDir)) return { kind: 'embedded', dataDir, foldEvery: null };
  process.stderr.write(`tact: ${dataDir} is not a Tact data directory (it has no conversations folder); give --data DIR (CUSTOMER_NO_DATA_DIR)\n`);
  return 2;
}

async function openOrExplain(config: StoreConfig): Promise<{ store: Store; files: FileStore } | null> {
  const log = createLogger('error', (line) => process.stderr.write(line));
  let store: Store;
  try {
    store = await openStore(config, log);
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    const hint = err.code === 'STORE_LOCKED' ? '; stop the server first, or use the Privacy page of /admin while it runs' : '';
    process.stderr.write(`tact: ${storeLabel(config)}: ${err.message}${hint} (${err.code})\n`);
    return null;
  }
  try {
    return { store, files: await openFileStore(config) };
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function forget(store: Store, files: FileStore, key: CustomerKey, by: string): Promise<number> {
  const now = (): Date => new Date();
  const tasks = new Scheduler({ store, run: async () => undefined, now, log: createLogger('error', (line) => process.stderr.write(line)) });
  await tasks.start(0);
  // Slack's copy: its logs lose the text here; the cards' edits are stored for the server's outbox to send when it next reads its log.
  const outbox = new OutboxLog(store);
  let edits = 0;
  const deps: ForgetDeps = {
    store,
    files,
    tasks,
    now,
    log: null,
    elsewhere: [
      async (ids, why) => {
        edits = await forgetInSlack(store, ids, why, async (call) => void (await outbox.add({ ...call, id: randomUUID() })));
      },
    ],
  };
  const done = await forgetCustomer(deps, key, by);
  if (done.conversations === 0) {
    process.stdout.write(`No conversation of that customer was found; nothing was changed (the request is in the audit log).\n`);
    return 0;
  }
  process.stdout.write(`Forgot ${done.conversations} conversation(s): their text and contact details removed, ${done.files} file(s) deleted, ${done.tasks} pending task(s) cancelled, ${edits} Slack post(s) to be marked removed. Counts for the dashboard are kept.\n`);
  return 0;
}

async function exportTo(store: Store, files: FileStore, key: CustomerKey, by: string, out: string | undefined, withFiles: boolean): Promise<number> {
  const data = await auditedExport(store, files, key, { now: new Date(), withFiles, by, log: null });
  if (out === undefined) {
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return 0;
  }
  const path = resolve(out);
  if ((await storeFs.mode(path)) !== null && (await storeFs.readdir(path).then(() => true, () => false))) {
    process.stderr.write(`tact: --out ${path} is a directory; give a file name (CUSTOMER_BAD_OUT)\n`);
    return 2;
  }
  try {
    // A new file renamed over the old, the owner's only: a reader never sees half an export.
    await new DurableJsonFile(path).write(data);
  } catch (err) {
    process.stderr.write(`tact: could not write ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}); nothing was written (CUSTOMER_OUT_FAILED)\n`);
    return 1;
  }
  process.stdout.write(`Exported ${data.conversations.length} conversation(s) to ${path}.\n`);
  return 0;
}

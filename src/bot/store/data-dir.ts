/**
 * The data directory's layout and who may read it. Conversations hold
 * customers' personal data, so the directory and its folders are the
 * owner's only (0700) and every file in them 0600, set explicitly (a umask
 * can only take bits away, and older data directories were made 0755/0644),
 * and fixed at every open.
 *
 *   data/control.json        seq high-water mark, fold range, unfinished index (control.ts)
 *   data/wal.log             the write-ahead log (wal.ts); wal.folding.log while a fold runs
 *   data/conversations/      one JSON file per conversation
 *   data/quarantine/         what could not be read, kept for inspection: damaged log lines, unreadable conversation files
 */
import { join } from 'node:path';
import { storeFs } from './store-fs.js';

export const CONVERSATIONS = 'conversations';
export const QUARANTINE = 'quarantine';
export const WAL_FILE = 'wal.log';
export const FOLDING_FILE = 'wal.folding.log';

/**
 * Creates the folders (0700) and makes existing files the owner's only;
 * returns what it could not fix. The store writes every file 0600 itself,
 * so the files inside a folder that is already 0700 are not touched: a
 * start does not walk ten thousand conversation files, only an older data
 * directory's first start does.
 */
export async function prepareDataDir(dataDir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const dir of [dataDir, join(dataDir, CONVERSATIONS), join(dataDir, QUARANTINE)]) {
    const before = await storeFs.mode(dir);
    await storeFs.mkdir(dir, 0o700);
    await restrict(dir, 0o700, problems);
    if (before === null || (before === 0o700 && dir !== dataDir)) continue;
    for (const name of await storeFs.readdir(dir)) {
      if (dir === dataDir && (name === CONVERSATIONS || name === QUARANTINE)) continue;
      await restrict(join(dir, name), 0o600, problems);
    }
  }
  return problems;
}

async function restrict(path: string, mode: number, problems: string[]): Promise<void> {
  try {
    await storeFs.chmod(path, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problems.push(`${path} could not be made the owner's only (${code ?? String(err)}); check who owns the data directory`);
  }
}

/** Conversation files set aside under quarantine/ (named `<id>.json.<time>`). */
export async function quarantinedConversations(dataDir: string): Promise<number> {
  const names = await storeFs.readdir(join(dataDir, QUARANTINE)).catch(() => []);
  return names.filter((n) => /^[A-Za-z0-9_-]{1,64}\.json\.\d+$/.test(n)).length;
}

/** The quarantined copies of one conversation's file (paths), which still hold what it held. */
export async function quarantinedCopies(dataDir: string, id: string): Promise<string[]> {
  const names = await storeFs.readdir(join(dataDir, QUARANTINE)).catch(() => []);
  return names.filter((n) => n.startsWith(`${id}.json.`) && /^\d+$/.test(n.slice(id.length + 6))).map((n) => join(dataDir, QUARANTINE, n));
}

/** Moves a conversation's file under quarantine/ and returns where it went. */
export async function quarantineConversation(dataDir: string, id: string): Promise<string> {
  const to = join(dataDir, QUARANTINE, `${id}.json.${Date.now()}`);
  await storeFs.rename(join(dataDir, CONVERSATIONS, `${id}.json`), to);
  return to;
}

/** Whether `dir` is a data directory a store has opened (it has the conversations folder), so a mistyped path is named rather than made. */
export async function isDataDir(dir: string): Promise<boolean> {
  return (await storeFs.mode(join(dir, CONVERSATIONS))) !== null;
}

export function conversationPath(dataDir: string, id: string): string {
  return join(dataDir, CONVERSATIONS, `${id}.json`);
}

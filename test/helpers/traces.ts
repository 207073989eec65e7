/** Where a piece of personal data is still written, read around Tact: the bytes of the files on disk, and PostgreSQL's rows. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** Every file under `dir` (the log, the conversation files, quarantine, files …) whose bytes hold `text`. */
export function filesHolding(dir: string, text: string): string[] {
  const needle = Buffer.from(text);
  const out: string[] = [];
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, name);
    if (statSync(path).isFile() && readFileSync(path).includes(needle)) out.push(name);
  }
  return out;
}

/** The store's tables with a row holding `text` (as text; bytea files as their bytes), as PostgreSQL reads them. */
export async function rowsHolding(url: string, text: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: string[] = [];
    for (const table of ['tact_events', 'tact_conversations', 'tact_files']) {
      const exists = await client.query('SELECT to_regclass($1) AS t', [table]);
      if ((exists.rows[0] as { t: string | null }).t === null) continue;
      const asBytes = table === 'tact_files' ? ' OR position(convert_to($1, \'UTF8\') in t.bytes) > 0' : '';
      const r = await client.query(`SELECT count(*)::int AS n FROM ${table} t WHERE strpos(t::text, $1) > 0${asBytes}`, [text]);
      if ((r.rows[0] as { n: number }).n > 0) out.push(table);
    }
    return out;
  } finally {
    await client.end();
  }
}

/**
 * `tact staff add NAME --role editor|agent|admin`, `tact staff list [--json]`,
 * `tact staff remove NAME`, `tact staff passwd NAME`, `tact staff revoke NAME`:
 * the people who sign in to the admin pages (pipeline/staff.ts), in the store
 * the server uses — $TACT_DATABASE_URL when set (any time, beside running
 * instances), else the data directory (--data, $TACT_DATA_DIR, ./data; with
 * the server stopped, as it holds the directory — or use the admin page's
 * Staff section meanwhile).
 *
 * A password is asked for twice at a terminal, without echo; from a pipe it
 * is the first line of standard input, so scripts can set one:
 *   printf '%s\n' "$PW" | tact staff add lin --role agent
 * It is never printed or logged. Each change goes to the audit log as
 * `cli:<user>`. Bad names, roles and passwords exit 2; a store that cannot be
 * opened exits 1.
 */
import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { createLogger } from '../bot/log.js';
import { recordAudit } from '../bot/pipeline/staff-audit.js';
import { checkName, checkRole, Staff, StaffError, type StaffMember } from '../bot/pipeline/staff.js';
import { MAX_PASSWORD_CHARS } from '../bot/pipeline/password.js';
import { openStore, storeLabel, type StoreConfig } from '../bot/store/open-store.js';
import { StoreError, type AuditAction, type Store } from '../bot/store/store.js';
import { parse, UsageError } from './usage.js';

const SUBCOMMANDS = ['add', 'list', 'remove', 'passwd', 'revoke'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

export async function staffCommand(args: readonly string[]): Promise<number> {
  const [rawSub, ...rest] = args;
  const sub = SUBCOMMANDS.find((s) => s === rawSub);
  if (!sub) throw new UsageError(rawSub === undefined ? `tact staff needs ${SUBCOMMANDS.join(', ')}` : `unknown staff command "${rawSub}" (${SUBCOMMANDS.join(', ')})`);
  const { values, positionals } = parse(rest, { role: { type: 'string' }, data: { type: 'string' }, json: { type: 'boolean' } });
  if (sub === 'list' ? positionals.length > 0 : positionals.length !== 1) throw new UsageError(sub === 'list' ? 'tact staff list takes no name' : `tact staff ${sub} takes one name (quote a name with spaces)`);
  if (values.role !== undefined && sub !== 'add') throw new UsageError('--role is for tact staff add only');
  if (sub === 'add' && values.role === undefined) throw new UsageError('tact staff add needs --role editor, agent or admin');
  const config = storeConfig(values.data);
  let store: Store;
  try {
    store = await openStore(config, createLogger('error', (line) => process.stderr.write(line)));
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    process.stderr.write(`tact: cannot open the store at ${storeLabel(config)}: ${err.message}${err.code === 'STORE_LOCKED' ? ' (the server holds it: stop it, or use the Staff section of the admin page)' : ''}\n`);
    return 1;
  }
  try {
    return await run(sub, new Staff(store, () => new Date()), store, positionals[0] ?? '', values.role ?? '', values.json === true);
  } catch (err) {
    if (!(err instanceof StaffError)) throw err;
    process.stderr.write(`tact: ${err.message} (${err.code})\n`);
    return 2;
  } finally {
    await store.close();
  }
}

function storeConfig(data: string | undefined): StoreConfig {
  const url = data === undefined ? process.env['TACT_DATABASE_URL'] || null : null;
  if (url !== null) return { kind: 'postgres', url };
  return { kind: 'embedded', dataDir: resolve(data ?? (process.env['TACT_DATA_DIR'] || 'data')), foldEvery: null };
}

async function run(sub: Sub, staff: Staff, store: Store, name: string, role: string, json: boolean): Promise<number> {
  const audited = async (action: AuditAction, person: StaffMember, said: string): Promise<number> => {
    await recordAudit(store, new Date(), { who: `cli:${userInfo().username}`, action, subject: person.name });
    process.stdout.write(`${said}\n`);
    return 0;
  };
  switch (sub) {
    case 'list':
      return list(await staff.list(), json);
    case 'add': {
      // Checked before asking for a password, so a typo is not found only after typing it twice.
      checkName(name);
      checkRole(role);
      const taken = await staff.find(name);
      if (taken) throw new StaffError('STAFF_EXISTS', `there is already someone called ${taken.name}`);
      const person = await staff.add(name, role, await newPassword());
      return audited('staff-added', person, `added ${person.name} (${person.role})`);
    }
    case 'passwd': {
      if (!(await staff.find(checkName(name)))) throw new StaffError('STAFF_UNKNOWN', `there is nobody called ${name}`);
      const person = await staff.setPassword(name, await newPassword());
      return audited('staff-password', person, `${person.name} has a new password; their sessions ended`);
    }
    case 'revoke':
      return audited('staff-revoked', await staff.revoke(name), `${name}: every session ended`);
    case 'remove':
      return audited('staff-removed', await staff.remove(name), `removed ${name}; their sessions ended`);
  }
}

function list(people: readonly StaffMember[], json: boolean): number {
  if (json) {
    process.stdout.write(`${JSON.stringify(people.map(({ name, role, since }) => ({ name, role, since })))}\n`);
    return 0;
  }
  if (people.length === 0) process.stdout.write('nobody has an account yet (the admin token signs in; add people with tact staff add)\n');
  for (const p of people) process.stdout.write(`${p.name}\t${p.role}\tsince ${p.since.slice(0, 10)}\n`);
  return 0;
}

/** Twice without echo at a terminal; the first line of a pipe otherwise. */
async function newPassword(): Promise<string> {
  if (process.stdin.isTTY !== true) return firstLine();
  const first = await hidden('Password (at least 12 characters): ');
  const again = await hidden('The same again: ');
  if (first !== again) throw new StaffError('STAFF_WEAK_PASSWORD', 'the two passwords differ');
  return first;
}

async function firstLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  try {
    for await (const line of rl) return line.slice(0, MAX_PASSWORD_CHARS + 1);
    throw new StaffError('STAFF_WEAK_PASSWORD', 'no password on standard input (give it as the first line)');
  } finally {
    rl.close();
  }
}

/** A line typed at the terminal without echoing it. */
function hidden(prompt: string): Promise<string> {
  return new Promise((done, fail) => {
    const stdin = process.stdin;
    process.stdout.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let typed = '';
    const finish = (result: () => void): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stdout.write('\n');
      result();
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(() => done(typed));
        if (ch === '\u0003' || ch === '\u0004') return finish(() => fail(new StaffError('STAFF_WEAK_PASSWORD', 'cancelled')));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (typed.length <= MAX_PASSWORD_CHARS) typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

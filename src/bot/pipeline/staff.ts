/**
 * The people who may use the admin pages, each with a name, a role and a
 * password (only its scrypt hash is kept, password.ts), in the store's
 * `staff` log, so every instance sharing a store agrees and a restart
 * forgets nobody:
 *
 *   editor   changes the knowledge base (FAQs, gaps)
 *   agent    works the conversations handed to a person
 *   admin    both, and manages the staff
 *
 * A session belongs to one "generation" of its person: adding, a new
 * password, a revocation and a removal each start a new one, and a session
 * from an older generation is refused. Every check reads the log again
 * (small: a few events per person), so a person revoked or removed on one
 * instance is out on all of them at their next request, and one who signs
 * out ends that session everywhere.
 *
 * Names are compared without regard to case ("Lin" and "lin" are one
 * person), and must be 1–40 letters, digits, spaces, dots, dashes or
 * underscores, starting and ending with a letter or digit: they are shown
 * to customers as the agent's name and written to the audit log.
 */
import type { Store, StoredEvent, StaffRole } from '../store/store.js';
import { hashPassword, passwordProblem, verifyNobody, verifyPassword } from './password.js';

export type { StaffRole } from '../store/store.js';
export const STAFF_LOG = 'staff';
export const STAFF_ROLES: readonly StaffRole[] = ['editor', 'agent', 'admin'];
export const MAX_NAME_CHARS = 40;
const NAME = /^[\p{L}\p{N}](?:[\p{L}\p{N} ._-]*[\p{L}\p{N}])?$/u;

export type StaffErrorCode = 'STAFF_BAD_NAME' | 'STAFF_BAD_ROLE' | 'STAFF_WEAK_PASSWORD' | 'STAFF_EXISTS' | 'STAFF_UNKNOWN';

export class StaffError extends Error {
  constructor(
    readonly code: StaffErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StaffError';
  }
}

export interface StaffMember {
  readonly name: string;
  readonly role: StaffRole;
  /** When they were added (ISO). */
  readonly since: string;
  /** Their sessions' generation: a session from another one is refused. */
  readonly generation: number;
}

interface Account extends StaffMember {
  readonly hash: string;
}

interface Roster {
  readonly accounts: ReadonlyMap<string, Account>;
  /** Sessions signed out, as `<name key> <session id>`. */
  readonly signedOut: ReadonlySet<string>;
}

/** A name as it is stored: NFC, spaces trimmed; throws STAFF_BAD_NAME naming what is wrong. */
export function checkName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  if (name === '') throw new StaffError('STAFF_BAD_NAME', 'a name is needed');
  if ([...name].length > MAX_NAME_CHARS) throw new StaffError('STAFF_BAD_NAME', `a name may have at most ${MAX_NAME_CHARS} characters`);
  if (!NAME.test(name)) throw new StaffError('STAFF_BAD_NAME', `${JSON.stringify(name.slice(0, 60))} is not a name: use letters, digits, spaces, dots, dashes or underscores, starting and ending with a letter or digit`);
  return name;
}

export function checkRole(raw: string): StaffRole {
  const role = STAFF_ROLES.find((r) => r === raw);
  if (!role) throw new StaffError('STAFF_BAD_ROLE', `role must be one of ${STAFF_ROLES.join(', ')} (not ${JSON.stringify(raw.slice(0, 40))})`);
  return role;
}

export class Staff {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  /** Everyone, by name. */
  async list(): Promise<StaffMember[]> {
    const { accounts } = await this.roster();
    return [...accounts.values()].map(({ name, role, since, generation }) => ({ name, role, since, generation })).sort((a, b) => a.name.localeCompare(b.name));
  }

  async find(name: string): Promise<StaffMember | null> {
    return (await this.roster()).accounts.get(keyOf(name)) ?? null;
  }

  /** Adds a person; refuses a bad name or role, a weak password, or a name already taken (whatever its case). */
  async add(rawName: string, rawRole: string, password: string): Promise<StaffMember> {
    const name = checkName(rawName);
    const role = checkRole(rawRole);
    checkPassword(password);
    const existing = await this.find(name);
    if (existing) throw new StaffError('STAFF_EXISTS', `there is already someone called ${existing.name}`);
    await this.append({ kind: 'staff', at: this.at(), op: 'added', name, role, hash: await hashPassword(password) });
    const added = await this.find(name);
    if (!added) throw new StaffError('STAFF_UNKNOWN', `${name} was removed while being added`);
    return added;
  }

  /** A new password; the person's sessions end (a password is changed because it may be known). */
  async setPassword(rawName: string, password: string): Promise<StaffMember> {
    const person = await this.existing(rawName);
    checkPassword(password);
    await this.append({ kind: 'staff', at: this.at(), op: 'password', name: person.name, hash: await hashPassword(password) });
    return person;
  }

  /** Ends every session the person has, on every instance. */
  async revoke(rawName: string): Promise<StaffMember> {
    const person = await this.existing(rawName);
    await this.append({ kind: 'staff', at: this.at(), op: 'revoked', name: person.name });
    return person;
  }

  /** Removes the person; their sessions end with them. */
  async remove(rawName: string): Promise<StaffMember> {
    const person = await this.existing(rawName);
    await this.append({ kind: 'staff', at: this.at(), op: 'removed', name: person.name });
    return person;
  }

  /** The person when the password is theirs, else null (after as long as a check of a real person takes). */
  async signIn(rawName: string, password: string): Promise<StaffMember | null> {
    let key: string;
    try {
      key = keyOf(checkName(rawName));
    } catch {
      return verifyNobody(password).then(() => null);
    }
    const person = (await this.roster()).accounts.get(key);
    if (!person) return verifyNobody(password).then(() => null);
    if (!(await verifyPassword(password, person.hash))) return null;
    const { name, role, since, generation } = person;
    return { name, role, since, generation };
  }

  /** The person a session belongs to, when it is still theirs: not revoked, signed out, or from before a new password. */
  async sessionHolder(name: string, generation: number, session: string): Promise<StaffMember | null> {
    const roster = await this.roster();
    const person = roster.accounts.get(keyOf(name));
    if (!person || person.generation !== generation || roster.signedOut.has(`${keyOf(name)} ${session}`)) return null;
    return person;
  }

  /** Ends one session (signing out), on every instance. */
  async signOut(name: string, session: string): Promise<void> {
    await this.append({ kind: 'staff', at: this.at(), op: 'signed-out', name, session });
  }

  private async existing(rawName: string): Promise<StaffMember> {
    const name = checkName(rawName);
    const person = await this.find(name);
    if (!person) throw new StaffError('STAFF_UNKNOWN', `there is nobody called ${name}`);
    return person;
  }

  private async roster(): Promise<Roster> {
    return replay(await this.store.read(STAFF_LOG));
  }

  private async append(event: StoredEvent): Promise<void> {
    await this.store.append(STAFF_LOG, event);
  }

  private at(): string {
    return this.now().toISOString();
  }
}

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new StaffError('STAFF_WEAK_PASSWORD', problem);
}

function keyOf(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

/**
 * The accounts as the log leaves them. Every event about a name moves its
 * generation on, removals included, so a person removed and added again
 * never takes up a session of their former self. Two instances adding the
 * same name at once: the first added stays, the second is ignored.
 */
function replay(events: readonly StoredEvent[]): Roster {
  const accounts = new Map<string, Account>();
  const generations = new Map<string, number>();
  const signedOut = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'staff') continue;
    const key = keyOf(e.name);
    if (e.op === 'signed-out') {
      signedOut.add(`${key} ${e.session}`);
      continue;
    }
    const current = accounts.get(key);
    if (e.op === 'added' && current) continue;
    const generation = (generations.get(key) ?? 0) + 1;
    generations.set(key, generation);
    switch (e.op) {
      case 'added':
        accounts.set(key, { name: e.name, role: e.role, since: e.at, generation, hash: e.hash });
        break;
      case 'password':
        if (current) accounts.set(key, { ...current, hash: e.hash, generation });
        break;
      case 'revoked':
        if (current) accounts.set(key, { ...current, generation });
        break;
      case 'removed':
        accounts.delete(key);
        break;
    }
  }
  return { accounts, signedOut };
}

/**
 * Where the server's log lines go: stdout, one JSON object per line. Under
 * systemd, when stdout is connected to the journal (JOURNAL_STREAM names
 * stdout's device and inode, as systemd sets it), each line starts with the
 * syslog priority journald reads and strips (sd-daemon(3): <3> error, <4>
 * warn, <6> info, <7> debug), so `journalctl -u tact -p warning` filters by
 * level and `journalctl -o cat` still shows bare JSON. Anywhere else (a
 * terminal, a pipe, a container's log driver) the lines are left as they are.
 */
import { fstatSync } from 'node:fs';
import type { LogLevel } from './config.js';

const PRIORITY: Readonly<Record<LogLevel, number>> = { error: 3, warn: 4, info: 6, debug: 7 };

export type LineWriter = (line: string, level: LogLevel) => void;

/** Whether stdout is the journal stream systemd named (not a file or pipe the service redirected it to). */
export function stdoutIsJournal(env: Readonly<Record<string, string | undefined>> = process.env, stdoutId: () => { dev: bigint; ino: bigint } = () => fstatSync(1, { bigint: true })): boolean {
  const named = /^(\d+):(\d+)$/.exec(env['JOURNAL_STREAM'] ?? '');
  if (!named) return false;
  try {
    const { dev, ino } = stdoutId();
    return String(dev) === named[1] && String(ino) === named[2];
  } catch {
    // No stdout to look at: nothing to match.
    return false;
  }
}

/** A log line as journald should read it: with its priority in front. */
export function journalLine(line: string, level: LogLevel): string {
  return `<${PRIORITY[level]}>${line}`;
}

/** The server's default log writer: stdout, with priorities when stdout is the journal. */
export function stdoutWriter(journal = stdoutIsJournal()): LineWriter {
  return journal ? (line, level) => process.stdout.write(journalLine(line, level)) : (line) => process.stdout.write(line);
}

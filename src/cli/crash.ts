/**
 * What `tact start` does about an error nothing handled (an uncaught
 * exception or an unhandled rejection): it logs one JSON line, closes the
 * server within a short grace, and exits 1 so the supervisor (systemd, a
 * container runtime) starts it again. Carrying on after an uncaught
 * exception would serve from a state nobody reasoned about.
 *
 * The logged error is built here from the error's own name, message, code
 * and stack — never the error object itself: Bolt's and HTTP clients'
 * errors carry the request or the client's configuration, and Node's own
 * crash dump prints their headers (Authorization, Cookie) and tokens. Token
 * shapes left in a message are blanked; the logger masks personal data.
 *
 * Even if closing hangs, the process exits after the grace, and the kernel
 * frees the data-directory lock with it (see store/lock.ts).
 */
import type { EventEmitter } from 'node:events';
import type { Logger } from '../bot/log.js';

/** How long a crashing server gets to close before the process exits anyway. */
export const CRASH_GRACE_MS = 3000;
export const CRASH_EXIT_CODE = 1;
/** Stack lines kept: enough to find the fault, not a page of node internals. */
const STACK_LINES = 12;

export type CrashKind = 'uncaught_exception' | 'unhandled_rejection';

export interface CrashReport {
  readonly kind: CrashKind;
  readonly error: { readonly name: string; readonly message: string; readonly code: string | null; readonly stack: readonly string[] };
}

export interface CrashGuard {
  /** What to close on a crash, once the server runs. */
  closeOnCrash(close: () => Promise<void>): void;
  /** Takes the handlers off again (after a clean stop). */
  dispose(): void;
}

/**
 * Installs the handlers for the life of the server.
 *
 * @example
 *   const guard = guardProcess(createLogger('info'));
 *   const server = await startServer(config);
 *   guard.closeOnCrash(() => server.close());
 */
export function guardProcess(log: Logger, exit: (code: number) => void = (code) => process.exit(code), events: EventEmitter = process): CrashGuard {
  let close: (() => Promise<void>) | null = null;
  let crashing = false;
  const crash = (kind: CrashKind, reason: unknown): void => {
    if (crashing) return exit(CRASH_EXIT_CODE);
    crashing = true;
    const report = crashReport(kind, reason);
    log.error('process.crashed', { ...report, exitCode: CRASH_EXIT_CODE, graceMs: CRASH_GRACE_MS });
    const grace = new Promise<void>((resolve) => setTimeout(resolve, CRASH_GRACE_MS).unref());
    void Promise.race([close ? close().catch(() => undefined) : Promise.resolve(), grace]).then(() => exit(CRASH_EXIT_CODE));
  };
  const onException = (err: unknown): void => crash('uncaught_exception', err);
  const onRejection = (reason: unknown): void => crash('unhandled_rejection', reason);
  events.on('uncaughtException', onException);
  events.on('unhandledRejection', onRejection);
  return {
    closeOnCrash: (fn) => {
      close = fn;
    },
    dispose: () => {
      events.off('uncaughtException', onException);
      events.off('unhandledRejection', onRejection);
    },
  };
}

/** The error's own safe fields, nothing else it carries. */
export function crashReport(kind: CrashKind, reason: unknown): CrashReport {
  if (!(reason instanceof Error)) return { kind, error: { name: typeof reason, message: withoutSecrets(String(reason)), code: null, stack: [] } };
  const code = (reason as { code?: unknown }).code;
  return {
    kind,
    error: {
      name: reason.name,
      message: withoutSecrets(reason.message),
      code: typeof code === 'string' || typeof code === 'number' ? String(code) : null,
      stack: (reason.stack ?? '').split('\n').slice(1, STACK_LINES + 1).map((line) => withoutSecrets(line.trim())),
    },
  };
}

/** Bearer/Basic credentials and Slack tokens, should a message quote one. */
export function withoutSecrets(text: string): string {
  return text.replace(/\b(bearer|basic)\s+[^\s"',;]+/gi, '$1 [redacted]').replace(/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, '[redacted]');
}

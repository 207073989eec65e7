/**
 * What joins instances: one Redis, reached through two connections (one for
 * commands, one that only listens, as Redis pub/sub requires), every key
 * and channel under the deployment's prefix, and this instance's own id.
 * The cross-instance parts (delivery, turn leases, the leader, shared
 * limits) are built on it; none of them talks to Redis any other way.
 *
 * ioredis reconnects by itself. While Redis is away, commands fail fast
 * (no offline queue: a turn must not wait silently for minutes) and
 * `health()` says so; the instance keeps serving what it can alone.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { redactedUrl } from '../store/database-url.js';
import { ClusterError } from './cluster-error.js';

export interface ClusterConfig {
  readonly url: string;
  /** Every key and channel starts with it, so deployments can share one Redis. */
  readonly prefix: string;
}

export interface ClusterHealth {
  readonly status: 'ok' | 'down';
  readonly problem: string | null;
}

/** How long a new connection may take, and the most a reconnect waits between tries. */
const CONNECT_TIMEOUT_MS = 5000;
const MAX_RECONNECT_WAIT_MS = 2000;
const COMMAND_TIMEOUT_MS = 2000;

export class Cluster {
  /** This instance, as other instances and the leases name it. */
  readonly instanceId = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private down: string | null = null;
  private closed = false;
  /** The listening connection was lost: what other instances published meanwhile never arrived. */
  private deaf = false;
  private readonly hearingAgain: (() => void)[] = [];
  private readonly handlers = new Map<string, (message: string) => void>();

  private constructor(
    readonly config: ClusterConfig,
    /** For commands. */
    readonly redis: Redis,
    /** For subscriptions only. */
    private readonly listener: Redis,
    private readonly log: Logger,
  ) {
    for (const [name, connection] of [
      ['commands', redis],
      ['listener', listener],
    ] as const) {
      connection.on('error', (err: Error) => this.lost(name, err));
      connection.on('ready', () => this.back(name));
    }
    listener.on('close', () => (this.deaf = !this.closed));
    listener.on('ready', () => this.heard());
    listener.on('message', (channel: string, message: string) => this.handlers.get(channel)?.(message));
  }

  /** Connects both connections; rejects (naming the URL without its password) when Redis cannot be reached. */
  static async connect(config: ClusterConfig, log: Logger): Promise<Cluster> {
    const open = (commandTimeout?: number): Redis =>
      new Redis(config.url, {
        lazyConnect: true,
        connectTimeout: CONNECT_TIMEOUT_MS,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy: (times) => Math.min(times * 200, MAX_RECONNECT_WAIT_MS),
        ...(commandTimeout !== undefined ? { commandTimeout } : {}),
      });
    // A Redis that stops answering without closing the connection must fail a command, not hang a turn.
    const redis = open(COMMAND_TIMEOUT_MS);
    const listener = open();
    // Until the cluster listens, a failed attempt must not be an unhandled 'error' event.
    const quiet = (): void => undefined;
    redis.on('error', quiet);
    listener.on('error', quiet);
    try {
      await Promise.all([redis.connect(), listener.connect()]);
    } catch (err) {
      redis.disconnect();
      listener.disconnect();
      throw new ClusterError('REDIS_UNREACHABLE', `Redis at ${redactedUrl(config.url)} cannot be reached (${err instanceof Error ? err.message : String(err)}); start it, or unset TACT_REDIS_URL to run one instance`);
    } finally {
      redis.off('error', quiet);
      listener.off('error', quiet);
    }
    return new Cluster(config, redis, listener, log);
  }

  /** A key or channel name under the deployment's prefix. */
  key(...parts: readonly string[]): string {
    return `${this.config.prefix}${parts.join(':')}`;
  }

  /** Calls `handle` with every message published on `channel` (a prefixed name, see key) from now on. */
  async subscribe(channel: string, handle: (message: string) => void): Promise<void> {
    this.handlers.set(channel, handle);
    await this.listener.subscribe(channel);
  }

  /** Calls `listener` each time this instance hears the others again after its listening connection was lost. */
  onHearingAgain(listener: () => void): void {
    this.hearingAgain.push(listener);
  }

  health(): ClusterHealth {
    return { status: this.down === null ? 'ok' : 'down', problem: this.down };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.redis.quit().catch(() => this.redis.disconnect()), this.listener.quit().catch(() => this.listener.disconnect())]);
  }

  private lost(connection: string, err: Error): void {
    if (this.closed) return;
    const problem = `Redis is unreachable (${err.message}); working alone until it is back`;
    if (this.down === null) this.log.error('cluster.redis_down', { connection, err: err.message });
    this.down = problem;
  }

  private heard(): void {
    if (!this.deaf) return;
    this.deaf = false;
    this.log.info('cluster.hearing_again', {});
    for (const l of this.hearingAgain) l();
  }

  private back(connection: string): void {
    if (this.down === null) return;
    this.down = null;
    this.log.info('cluster.redis_back', { connection });
  }
}

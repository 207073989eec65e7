/**
 * What the Slack app shares with the other instances of a deployment, when
 * there are several (TACT_DATABASE_URL and TACT_REDIS_URL): which Slack
 * events were handled, which claims are being made, who sends to Slack,
 * how calls stored here reach it, and that cards must be read again before
 * acting on them. Without it the app works alone, as one process.
 *
 * @example
 *   const cluster = await Cluster.connect(config.redis, log);
 *   const leader = await Leader.start(cluster, log);
 *   const slack = await SlackAgents.start(config.slack, { ...deps, cluster: slackCluster(cluster, leader, log) });
 */
import type { Logger } from '../../log.js';
import type { Cluster } from '../../cluster/redis.js';
import { RedisOutboxFeed, type OutboxFeed } from './outbox-feed.js';
import { RedisSeenEvents, type SeenEvents } from './seen-events.js';

/** Who sends to Slack (and the SLA reminders): the deployment's leader (cluster/leader.ts). */
export interface Leadership {
  isLeader(): boolean;
}

export interface SlackCluster {
  /** Slack event ids already handled by any instance (Slack retries to any of them). */
  readonly seen: SeenEvents;
  /** Claims under way (session and handoff time), briefly: two agents pressing Claim at once on two instances, one gets it. */
  readonly claims: SeenEvents;
  /** Only the leader sends the outbox's calls and the SLA reminders; the others store calls and hand them over. */
  readonly leader: Leadership;
  /** How a call stored here reaches the leader. */
  readonly feed: OutboxFeed;
  /** Read a card again from the store before acting on it (another instance may have changed it). */
  readonly refreshCards: boolean;
  /** How often the outbox checks the lead and takes what was handed over; default 1 s (tests shorten it). */
  readonly outboxPollMs?: number;
}

/** Event ids: Slack retries for about an hour. */
const SEEN_TTL_SECONDS = 3600;
/** A claim under way: long enough for one to be stored; short, so one whose instance died does not block the card for long. */
const CLAIM_TTL_SECONDS = 30;

/** The shared parts on Redis. */
export function slackCluster(cluster: Cluster, leader: Leadership, log: Logger): SlackCluster {
  return {
    seen: new RedisSeenEvents(cluster, log, { name: 'slack-seen', ttlSeconds: SEEN_TTL_SECONDS }),
    claims: new RedisSeenEvents(cluster, log, { name: 'slack-claim', ttlSeconds: CLAIM_TTL_SECONDS }),
    leader,
    feed: new RedisOutboxFeed(cluster, log),
    refreshCards: true,
  };
}

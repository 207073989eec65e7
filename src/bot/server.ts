/**
 * Startup and shutdown of the Tact server: one process, one port.
 *
 *   GET /            the demo shop page with the widget
 *   GET /widget.js   the widget bundle
 *   WS  /chat        the chat socket (signed sessions)
 *   GET /healthz, GET /metrics, POST /api/ask
 *   /admin           the KB editor, gaps, conversations and dashboard (when TACT_ADMIN_TOKEN is set)
 *
 * Botkit is the conversation engine (pipeline/engine.ts): the web channel
 * feeds it turns, the receive middleware decides, the scripts reply.
 * The store is opened first, so a second server on the same data directory
 * stops before it touches anything. Before the server listens, customers
 * waiting for a person queue again and turns a crash left pending run again,
 * both found in the store's index of open conversations (never by reading
 * every conversation).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadWidgetAssets, serveWidgetAssets } from './channels/web/assets.js';
import { ChatSockets, type ChatSocketOptions } from './channels/web/chat-socket.js';
import type { KbHit } from './channels/slack/agent-views.js';
import { SLACK_EVENTS_PATH, SlackAgents, type SlackDeps } from './channels/slack/app.js';
import { SessionSigner } from './channels/web/session.js';
import { createApiHandler } from './channels/http/api.js';
import { createAdminHandler, isAdminPath } from './channels/http/admin.js';
import { deskMetrics, Metrics, storeMetrics } from './channels/http/metrics.js';
import type { Config } from './config.js';
import { RateLimiter, type Limiter, type RateSpec } from './core/rate-limit.js';
import { addressReader, DEFAULT_LIMITS, type AbuseLimits } from './limits.js';
import { agentSuggestion, decide, suggestedReplyFor } from './core/decide.js';
import { decisionToJson } from './core/decision-json.js';
import { pick } from './core/phrasing.js';
import type { FaqIndex } from './core/faq-index.js';
import { createLogger, type Logger } from './log.js';
import { NO_AGENTS } from './pipeline/agents.js';
import { Desk } from './pipeline/desk.js';
import { queuedInStore } from './pipeline/desk-sync.js';
import { Presence, type AgentKey } from './pipeline/presence.js';
import { HandoffGate } from './pipeline/handoff-limit.js';
import { DraftTrials } from './pipeline/draft-trial.js';
import { Outlet, type Delivery } from './pipeline/deliver.js';
import { createEngine, type TurnAdapter } from './pipeline/engine.js';
import type { Inbound } from './pipeline/turn-io.js';
import { registerScripts } from '../scripts/index.js';
import { Knowledge } from './pipeline/knowledge.js';
import { DECIDE_HERE, type Decider } from './pipeline/decider.js';
import { resumePendingTurns } from './pipeline/pending-turns.js';
import { ScheduledCommitments } from './pipeline/commitments.js';
import { CustomerMail } from './pipeline/customer-mail.js';
import { smtpMailer } from './mail/mailer.js';
import { ReplyAddresses } from './mail/reply-address.js';
import { startMailInbound } from './channels/mail/inbound.js';
import { Scheduler } from './pipeline/scheduler.js';
import { Retention } from './pipeline/retention.js';
import { forgetCustomer, type ForgetDeps } from './pipeline/forget.js';
import { auditedExport } from './pipeline/customer-export.js';
import { SessionBook } from './pipeline/sessions.js';
import type { BotDeps } from './pipeline/turn.js';
import { openFileStore, openStore, storeConfigOf, storeLabel } from './store/open-store.js';
import { Attachments } from './pipeline/attachments.js';
import { createFileRoutes, isFilesPath } from './channels/web/file-routes.js';
import { dataDirSecret } from './store/secret.js';
import type { RedactionReason, Store } from './store/store.js';
import { findGaps } from '../eval/gaps.js';
import { packageRoot } from '../kb/defaults.js';
import { languageData } from '../kb/language-data.js';

export interface ServerOptions {
  readonly log?: Logger;
  readonly now?: () => Date;
  /** Per-socket frame rate (the benchmark raises it). */
  readonly rate?: ChatSocketOptions['rate'];
  /** How often queued customers are checked for a reminder; 0 turns the timer off (tests tick the desk themselves). */
  readonly deskTickMs?: number;
  /** Between two Slack posts to one channel (tests shorten Slack's one a second). */
  readonly slackPaceMs?: number;
  /** Reload the KB when its files change (default on). */
  readonly watchKb?: boolean;
  /** Abuse limits (default DEFAULT_LIMITS; tests that open many sessions from one address loosen them). */
  readonly limits?: AbuseLimits;
  /** Agents counted as on duty from the start, as if they had just acted (tests of the queue; the product learns presence from Slack and the admin page). */
  readonly onDuty?: readonly AgentKey[];
  /** How often the scheduler looks for due tasks (default scheduler.ts's TICK_MS); 0 turns the timer off (tests tick it themselves). */
  readonly schedulerTickMs?: number;
  /** Wraps the opened store (tests inject faults at this seam). */
  readonly wrapStore?: (store: Store) => Store;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly desk: Desk;
  readonly store: Store;
  readonly sockets: ChatSockets;
  /** The chat sessions held in memory. */
  readonly sessions: SessionBook;
  /** The knowledge base in force, reloaded on edits. */
  readonly knowledge: Knowledge;
  /** The Slack app, when Slack is configured. */
  readonly slack: SlackAgents | null;
  /** Promises with a time on them (pipeline/scheduler.ts). */
  readonly scheduler: Scheduler;
  close(): Promise<void>;
}

const SWEEP_EVERY_MS = 60_000;
/** How long startup waits for the re-run of turns a crash left pending before it listens anyway. */
const RESUME_WAIT_MS = 10_000;
/** Several instances: how often each makes its desk and duty toggles match the store. */
const CLUSTER_SYNC_MS = 2000;
/** Several instances: how often the leader looks for turns a dead instance left pending, and how old such a turn must be. */
const ORPHAN_SCAN_MS = 10_000;
const ORPHAN_TURN_MS = 20_000;

export async function startServer(config: Config, opts: ServerOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  const now = opts.now ?? (() => new Date());
  const started = Date.now();
  // The store logs what it works around (damaged records, quarantined files, failing folds) itself, with ids.
  const opened = await openStore(storeConfigOf(config), log);
  const store = opts.wrapStore ? opts.wrapStore(opened) : opened;
  try {
    return await run(config, opts, log, now, store, started);
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function run(config: Config, opts: ServerOptions, log: Logger, now: () => Date, store: Store, started: number): Promise<RunningServer> {
  const knowledge = new Knowledge(config.kbDir, languageData(), log, config.cacheDir);
  // Photos and PDFs are kept beside the conversations: in the data directory, or the database.
  const files = await openFileStore(storeConfigOf(config));
  const attachments = new Attachments(files, now);
  const kb = (): FaqIndex => knowledge.current;
  const metrics = new Metrics();
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const addressOf = addressReader(config.trustedProxies, log);
  const sessions = new SessionBook(store, { maxSessions: limits.maxSessions });
  let sockets: ChatSockets | null = null;
  // Delivery is this server's sockets (created below, once the engine they feed exists), and with Redis every other instance's.
  const local: Delivery = { send: (id, item, origin) => sockets?.send(id, item, origin) };
  // Several instances: Redis joins them (delivery to customers on other instances, turn leases, one leader for the jobs run once).
  const joined = config.redis ? await (await import('./cluster/join.js')).joinCluster(config.redis, { local, listeners: () => sessions.listeners(), reloadKb: () => knowledge.reload() }, log) : null;
  if (joined) knowledge.onEdit(joined.kbEdited);
  // Cut off from the other instances, this one missed what they delivered: its customers reconnect and fetch it from the store.
  joined?.cluster.onHearingAgain(() => sockets?.catchUp());
  const leads = (): boolean => joined?.leader.isLeader() ?? true;
  if (!config.sessionSecret) log.info('session.secret', { message: 'TACT_SESSION_SECRET is not set; using the secret kept in the data directory' });
  const secret = config.sessionSecret ?? dataDirSecret(config.dataDir, log);
  const signer = new SessionSigner(secret);

  let engine: TurnAdapter | null = null;
  const receive = (sessionId: string, input: Inbound): Promise<void> => (engine as TurnAdapter).receive(sessionId, input);
  // Queue reminders go to customers with the chat open: one who left is not reloaded into memory every interval to hear it.
  const presence = await Presence.open(store, joined?.activity ?? null);
  for (const agent of opts.onDuty ?? []) presence.active(agent, now(), Number.POSITIVE_INFINITY);
  const listening = async (id: string): Promise<boolean> => (joined ? joined.online.has(id, sessions.listening(id)) : sessions.listening(id));
  const desk = new Desk(async (sessionId, event) => (event.name === 'holding' && !(await listening(sessionId)) ? undefined : receive(sessionId, event)), presence, now);
  // With other instances: Slack events and claims deduplicated in Redis, cards read from the store, the outbox sent by the leader.
  const slackShared = joined ? (await import('./channels/slack/cluster.js')).slackCluster(joined.cluster, joined.leader, log) : null;
  const slack = await startSlack(config, {
    ...(slackShared ? { cluster: slackShared } : {}),
    desk,
    store,
    log,
    now,
    categoryName: (id: string) => categoryName(kb(), id),
    checkTone: (text, lang, ctx) => kb().tone.checkTone(text, lang, ctx),
    ask: (text) => decide(kb(), text),
    liveSuggestion: (text) => agentSuggestion(decide(kb(), text)),
    timezone: kb().kb.shop.service.timezone,
    findFaqs: (query) => findFaqs(kb(), query),
    kbDir: config.kbDir,
    attachments,
    categories: () => [...new Set(kb().kb.faqs.map((f) => f.category))],
    ...(opts.slackPaceMs !== undefined ? { paceMs: opts.slackPaceMs } : {}),
  });
  // With other instances, limits count across all of them.
  const limiter = (name: string, spec: RateSpec): Limiter => (joined ? joined.limiter(name, spec) : new RateLimiter(spec));
  const handoffs = new HandoffGate(limiter('handoffs-address', limits.handoffsPerAddress), limiter('handoffs-session', limits.handoffsPerSession));
  // Decisions off the event loop that serves the sockets (the pool is loaded only when asked for).
  const decider = config.decisionWorkers > 0 ? await decisionPool(config.decisionWorkers, knowledge, log) : DECIDE_HERE;
  // Promises with a time on them (a resolved complaint's follow-up, a call-back when the team is back) are stored and run by one process: alone, or the leader.
  // E-mail to customers who gave an address with consent, and (with a reply address) their replies back into the chat.
  const mailer = config.mail ? smtpMailer(config.mail) : null;
  const replyAddresses = config.mail?.replyTo ? new ReplyAddresses(secret, config.mail.replyTo) : null;
  const customerMail = mailer ? new CustomerMail({ store, mailer, replies: replyAddresses, index: kb, now, listening, log }) : null;
  let retention: Retention | null = null;
  const commitments = new ScheduledCommitments({ store, sessions, now, listening, receive, agents: slack ?? NO_AGENTS, mail: customerMail, retention: async (task) => retention?.run(task) });
  const scheduler = new Scheduler({ store, run: commitments.run, now, log, leads });
  commitments.use(scheduler);
  // Customers' data taken out (retention, a request to be forgotten): here, in Slack, and in the sessions this instance holds.
  const forgetting: ForgetDeps = {
    store,
    files,
    tasks: scheduler,
    now,
    log,
    elsewhere: slack ? [(ids: ReadonlySet<string>, why: RedactionReason) => slack.forget(ids, why)] : [],
    reread: async (ids) => void (await Promise.all([...ids].map((id) => sessions.refresh(id)))),
  };
  if (config.retentionDays !== null) retention = new Retention(forgetting, config.retentionDays, scheduler);
  const deps: BotDeps = { index: kb, store, sessions, desk, handoffs, agents: slack ?? NO_AGENTS, now, log, metrics, decider, commitments };
  const outlet = new Outlet(sessions, joined?.delivery ?? local, now);
  // A customer's e-mail reply is their message in the chat: stored (once per e-mail), shown on their open tabs, answered.
  const takeMailReply = async (sessionId: string, text: string, id: string): Promise<void> => {
    const stored = await outlet.accept(await sessions.load(sessionId, 'zh'), { text, id, payload: null }, 'mail');
    if (stored.fresh) await receive(sessionId, { kind: 'message', text, payload: null, clientId: id });
  };
  // With other instances, a turn waits for the conversation's lease and starts from what the store holds (another instance may have moved it on).
  const engineOptions = joined ? { queue: joined.queue, beforeTurn: (id: string) => sessions.refresh(id) } : {};
  const turns = await createEngine(deps, outlet.deliver, registerScripts, engineOptions);
  engine = turns;

  sockets = new ChatSockets({
    signer,
    identitySecret: config.identitySecret,
    allowedOrigins: config.allowedOrigins,
    sessions,
    accept: (session, message, origin) => outlet.accept(session, message, origin),
    log,
    now,
    receive,
    ...(opts.rate ? { rate: opts.rate } : {}),
    addressOf,
    newSessions: limiter('new-sessions', limits.newSessions),
    queuePosition: (sessionId) => desk.position(sessionId),
    fileOf: (sessionId, fileId) => attachments.find(sessionId, fileId),
    replyWithin: () => desk.typicalReplySeconds(),
    transcripts: customerMail !== null,
    // Another instance may have moved a returning customer's chat on (an agent joined there): read it again.
    ...(joined ? { shared: true } : {}),
  });
  // The store's index of what is still open, not every conversation: waiting customers queue again, then acknowledged messages never answered are.
  const open = await store.unfinished();
  const syncDesk = async (): Promise<void> => {
    const readAt = now().getTime();
    desk.sync(await queuedInStore(store, kb().kb.escalation, log), readAt, now().getTime());
  };
  await syncDesk();
  // Alone, every pending turn runs again at startup. With other instances only the leader re-runs turns, and only those left pending long enough that no live instance can still be running them.
  if (!joined) await resumePendingTurns(open, { store, sessions, receive, now, log }, RESUME_WAIT_MS);
  const resumeOrphans = async (): Promise<void> => {
    if (leads()) await resumePendingTurns(await store.unfinished(), { store, sessions, receive, now, log, olderThanMs: ORPHAN_TURN_MS }, RESUME_WAIT_MS);
  };

  const assets = loadWidgetAssets(packageRoot());
  if (!assets.script) log.warn('widget.missing', { message: 'dist/widget/widget.js is missing; run `npm run build`' });
  const api = createApiHandler({
    apiToken: config.apiToken,
    metricsToken: config.metricsToken,
    ask: (req) => decisionToJson(decide(kb(), req.text, undefined, req.customer)),
    health: () => {
      // Counts only: /healthz is open, and the problems themselves (file names, conversation ids) are in the log.
      const s = store.health();
      const storeFields = { status: s.status, quarantined: s.quarantined, failedFolds: s.failedFolds, problems: s.problems.length };
      const redis = joined?.cluster.health().status ?? null;
      const status = s.status === 'ok' && redis !== 'down' ? 'ok' : 'degraded';
      const clusterFields = joined ? { cluster: { instance: joined.cluster.instanceId, redis, leader: leads() } } : {};
      const workers = decider.workers();
      const workerFields = workers ? { decisionWorkers: workers } : {};
      return { status, faqs: kb().kb.faqs.length, connections: sockets?.connections ?? 0, queued: desk.waiting().length, agentsOnDuty: desk.staffed(now()), uptimeSeconds: Math.round((Date.now() - started) / 1000), store: storeFields, ...workerFields, ...clusterFields };
    },
    metrics: () => metrics.render() + storeMetrics(store.health()) + deskMetrics({ waiting: desk.waiting().length, agentsOnDuty: desk.staffed(now()) }),
  });
  // Admin pages (/admin): see channels/http/admin.ts.
  const trials = new DraftTrials(kb, languageData());
  const admin = createAdminHandler({
    token: config.adminToken,
    kbDir: config.kbDir,
    kb: () => kb().kb,
    tryDraft: (draft, text) => trials.decide(draft, text),
    suggest: (h) => suggestedReplyFor(kb(), h.reason, kb().router.route(h.reason, null, [], h.lang), h.lang, h.customer === null ? {} : { name: h.customer }, ''),
    gaps: (conversations, since) => findGaps(conversations, kb(), since),
    store,
    desk,
    log,
    now,
    addressOf,
    signInFailures: { address: limiter('admin-failures', limits.adminFailures), account: limits.accountFailures.map((spec, i) => limiter(`admin-account-failures-${i + 1}`, spec)), accountWide: limiter('admin-account-wide', limits.accountWideFailures) },
    files: attachments,
    promises: () => scheduler.pending(),
    privacy: {
      forget: (key, by) => forgetCustomer(forgetting, key, by),
      export: (key, by) => auditedExport(store, files, key, { now: now(), withFiles: false, by, log }),
      retentionDays: config.retentionDays,
    },
  });
  const fileRoutes = createFileRoutes({ signer, attachments, allowedOrigins: config.allowedOrigins, log, now, uploads: limiter('uploads', limits.uploads) });
  const server = createServer((req, res) => {
    if (isAdminPath(req.url)) return void admin(req, res);
    if (isFilesPath(req.url)) return void fileRoutes(req, res);
    if (slack && (req.url ?? '').split('?')[0] === SLACK_EVENTS_PATH) return slack.handle(req, res);
    if (!serveWidgetAssets(assets, req, res)) void api(req, res);
  });
  sockets.attach(server);
  const mailIn =
    config.mail && config.mail.inboundPort !== null && replyAddresses
      ? await startMailInbound({ port: config.mail.inboundPort, host: config.host, replies: replyAddresses, log, take: (sessionId, text, id) => takeMailReply(sessionId, text, id) })
      : null;
  await scheduler.start(opts.schedulerTickMs);
  await retention?.ensureScheduled();
  await listen(server, config.port, config.host);

  const timers = [setInterval(() => sessions.sweep(Date.now()), SWEEP_EVERY_MS)];
  // Reminders and SLA checks are said once per deployment: by the leader.
  const tick = async (): Promise<void> => {
    if (!leads()) return;
    await desk.tick(now().getTime());
    await slack?.tick(now());
  };
  if (joined) {
    const every = (ms: number, job: () => Promise<void>, name: string): void => void timers.push(setInterval(() => void job().catch((err: unknown) => log.error(name, { err })), ms));
    const sync = async (): Promise<void> => {
      await presence.reload();
      await syncDesk();
    };
    every(CLUSTER_SYNC_MS, sync, 'desk.sync_failed');
    every(ORPHAN_SCAN_MS, resumeOrphans, 'turns.orphan_scan_failed');
  }
  if ((opts.deskTickMs ?? 1000) > 0) timers.push(setInterval(() => void tick().catch((err: unknown) => log.error('desk.tick_failed', { err })), opts.deskTickMs ?? 1000));
  for (const t of timers) t.unref();

  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
  if (opts.watchKb !== false) knowledge.watch();
  log.info('server.started', { url, faqs: kb().kb.faqs.length, kb: config.kbDir, data: storeLabel(storeConfigOf(config)), ms: Date.now() - started });
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      for (const t of timers) clearInterval(t);
      await scheduler.stop();
      await mailIn?.close();
      mailer?.close();
      knowledge.close();
      sockets?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Slack handlers drive the desk, so they finish before the adapter's turns are awaited.
      await slack?.stop();
      await turns.idle();
      await decider.close();
      await joined?.close();
      await store.close();
      await files.close();
      log.info('server.stopped', {});
    })());
  return { url, port, desk, store, sockets, sessions, knowledge, slack, scheduler, close };
}

/** Worker threads deciding turns, sent the KB now and after every reload, so the first turns on it need not wait for the copy. */
async function decisionPool(size: number, knowledge: Knowledge, log: Logger): Promise<Decider> {
  const { DecisionPool } = await import('./pipeline/decision-pool.js');
  const pool = new DecisionPool({ size, log });
  pool.prepare(knowledge.current);
  knowledge.onReload((r) => r.ok && pool.prepare(knowledge.current));
  return pool;
}

/** The Slack app when Slack is configured; otherwise says once how to turn it on. */
async function startSlack(config: Config, deps: SlackDeps): Promise<SlackAgents | null> {
  if (!config.slack) {
    deps.log.info('slack.off', { message: 'agent assist in Slack is off: handed-off customers wait in the queue. To turn it on, set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode); see the README.' });
    return null;
  }
  const slack = await SlackAgents.start(config.slack, deps);
  deps.log.info('slack.on', { mode: config.slack.mode, ...(config.slack.mode === 'http' ? { endpoint: SLACK_EVENTS_PATH } : {}) });
  return slack;
}

/** The closest FAQs to a query, in the query's language, for agents searching the KB. */
function findFaqs(index: FaqIndex, query: string): KbHit[] {
  const m = index.matcher.match(query, 5);
  return m.candidates.flatMap((c) => {
    const faq = index.kb.faqs.find((f) => f.id === c.faqId);
    return faq ? [{ id: faq.id, question: pick(faq.question, m.analysis.lang), answer: pick(faq.answer, m.analysis.lang), confidence: c.confidence }] : [];
  });
}

function categoryName(index: FaqIndex, id: string): string | null {
  const category = index.kb.categories.find((c) => c.id === id);
  return category ? (category.name.en ?? category.name.zh ?? id) : id;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

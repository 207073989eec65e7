/**
 * Tact's Slack app (Bolt): agents work handed-off conversations from Slack.
 *
 *   handoff      → a post in the escalation path's channel (the card), the transcript in its thread
 *   customer     → each new message in the thread (masked)
 *   Claim        → the presser owns the conversation; the customer hears who joined
 *   thread reply → from the owner, relayed to the customer as them; from anyone else, an internal note
 *   Send suggestion / Return to bot / Resolve / Escalate → the desk, and the card updated
 *
 * Everything bound for Slack goes through the persistent outbox. Events
 * Slack delivers twice (its retries) are handled once. The app's own
 * messages and other bots' are ignored, so nothing echoes.
 *
 * Several instances (`deps.cluster`, cluster.ts): Slack sends each event and
 * button press to whichever instance the load balancer picks, so what it
 * acts on is shared: handled event ids in Redis (seen-events.ts), cards in
 * the store, read again before each action (card-book.ts), posts in the
 * store (post-book.ts); a claim is taken in Redis first, so two at once on
 * two instances give the conversation to one agent; only the leader sends
 * to Slack (outbox.ts) and the SLA reminders. Agents' display names are
 * looked up by each instance once (a cache, not a truth).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, type BlockAction, type ButtonAction, type MessageShortcut } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { SlackConfig } from '../../config.js';
import type { Decision } from '../../core/decision.js';
import { isOpen, nextHandoff } from '../../core/handoff.js';
import { maskPii } from '../../core/mask.js';
import type { ToneContext, ToneFinding } from '../../core/tone.js';
import type { Lang } from '../../../kb/types.js';
import type { Logger } from '../../log.js';
import type { AgentSurface, HandoffNotice } from '../../pipeline/agents.js';
import type { Desk } from '../../pipeline/desk.js';
import type { RedactionReason, Store, StoredFile } from '../../store/store.js';
import type { Attachments } from '../../pipeline/attachments.js';
import { customerFiles, fileComment, fileNotSentText, fileUploadCall } from './file-posts.js';
import { downloadSlackFile, MAX_FILES_PER_MESSAGE, SlackFileError, type SlackFile } from './file-download.js';
import { FileError } from '../../files/prepare.js';
import { CardBook } from './card-book.js';
import type { SlackCluster } from './cluster.js';
import { claimConfirmationText, customerMessageText, escapeSlack, handoffBlocks, internalNoteText, transcriptText } from './blocks.js';
import { ACTIONS, cardHandoff, newCard, type CardState, type HandoffCard } from './handoff-card.js';
import { COMMAND_HELP, DUTY_ACTION, EDIT_MODAL, editReplyModal, escalationText, heldReplyBlocks, homeView, kbResultsText, liveSuggestionBlocks, ratingText, lowRatingTaskText, followUpDueText, callBackDueText, followUpAnsweredText, LOW_RATING, savedFaqText, withdrawnText, suggestionText, toneCoachingText, type KbHit } from './agent-views.js';
import { boltLogger, slackCaller, slackClientOptions } from './client.js';
import { forgetInSlack } from './forget-posts.js';
import { SlackOutbox } from './outbox.js';
import { PostBook } from './post-book.js';
import { readOrigin, readSaveFaq, SAVE_FAQ, saveFaqModal, writeSubmission } from './save-faq.js';
import { LocalSeenEvents, type SeenEvents } from './seen-events.js';
import { slaReminder } from './sla.js';
import { slackToPlainText } from './unescape.js';

export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack failing this long means agents may not see new handoffs: customers are told the wait is longer. */
const DELAYED_AFTER_MS = 30_000;
/** Slack's requests are a few kilobytes; a bigger body is refused unread (Bolt answers 413). */
const MAX_SLACK_BODY = 512 * 1024;
/** A slash command's text beyond this is not read. */
const MAX_COMMAND_TEXT = 2000;
/** Several instances: the list of cards the SLA reminders go through is read again from the store this often. */
const CARD_LIST_MAX_AGE_MS = 10_000;
/** How far a request's timestamp may be from now, either way (Bolt checks only the past). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface SlackDeps {
  readonly desk: Desk;
  readonly store: Store;
  readonly log: Logger;
  readonly now: () => Date;
  /** A category id's display name for the card. */
  readonly categoryName: (id: string) => string | null;
  /** Between two posts to one channel (tests shorten it). */
  readonly paceMs?: number;
  /** The decision core on a message, for `/tact suggest`. */
  readonly ask: (text: string) => Decision;
  /** A suggested reply to a customer's new message: the FAQ's answer where the KB knows, the standard's phrasing for a handoff; null for none (never the bot's clarify prompt or apology). */
  readonly liveSuggestion: (text: string) => string | null;
  /** The closest FAQs to a query, for `/tact kb`. */
  readonly findFaqs: (query: string) => readonly KbHit[];
  /** The KB folder "Save as FAQ" writes to, and the categories it offers. */
  readonly kbDir: string;
  readonly categories: () => readonly string[];
  /** The service's time zone, for "today" on the Home tab. */
  readonly timezone: string;
  /** The service standard's tone check for an agent's reply. */
  readonly checkTone: (text: string, lang: Lang, ctx: ToneContext) => readonly ToneFinding[];
  /** Several instances sharing the store and Redis (cluster.ts: slackCluster); absent: this instance works alone. */
  readonly cluster?: SlackCluster;
  /** The conversations' photos and PDFs: sent into threads, and kept when an agent sends one. */
  readonly attachments: Pick<Attachments, 'read' | 'keep'>;
}

export class SlackAgents implements AgentSurface {
  private readonly names = new Map<string, string>();
  /** Events being handled, so a shutdown waits for them before the store closes. */
  private readonly handling = new Set<Promise<void>>();
  private stopping = false;

  private constructor(
    private readonly config: Pick<SlackConfig, 'toneCoaching' | 'apiUrl'>,
    private readonly app: App,
    private readonly client: WebClient,
    private readonly receiver: HTTPReceiver | null,
    private readonly outbox: SlackOutbox,
    private readonly cards: CardBook,
    private readonly posts: PostBook,
    private readonly seen: SeenEvents,
    private readonly deps: SlackDeps,
  ) {}

  static async start(config: SlackConfig, deps: SlackDeps): Promise<SlackAgents> {
    const logger = boltLogger(deps.log);
    const clientOptions = slackClientOptions(config, logger);
    const receiver = config.mode === 'http' ? new HTTPReceiver({ signingSecret: config.signingSecret ?? '', endpoints: SLACK_EVENTS_PATH, logger, bodyLimit: MAX_SLACK_BODY }) : null;
    const app = new App({
      // Our own authorize, not Bolt's single-token one: that calls auth.test on the first event and answers
      // 401 to every event while Slack's API is unreachable. The app's own messages are filtered by bot_id below.
      authorize: async () => ({ botToken: config.botToken }),
      ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken ?? '' }),
      logger,
      clientOptions,
    });
    const client = new WebClient(config.botToken, clientOptions);
    const posts = new PostBook(deps.store);
    const shared = deps.cluster;
    const cluster = shared ? { leader: shared.leader, feed: shared.feed, ...(shared.outboxPollMs !== undefined ? { pollMs: shared.outboxPollMs } : {}) } : undefined;
    const outbox = await SlackOutbox.open(deps.store, slackCaller(client, (conversation, file) => deps.attachments.read(conversation, file, 'file')), deps.log, deps.paceMs, { posts, ...(cluster ? { cluster } : {}) });
    const cards = await CardBook.open(deps.store, { refresh: deps.cluster?.refreshCards ?? false, now: deps.now });
    const agents = new SlackAgents(config, app, client, receiver, outbox, cards, posts, deps.cluster?.seen ?? new LocalSeenEvents(), deps);
    agents.listen();
    if (!receiver) agents.connect(0);
    return agents;
  }

  /**
   * SLA reminders, once each: an unclaimed handoff past its first-response
   * time pings the path's supervisor in the thread; a claimed one whose owner
   * has not answered within the same time reminds the owner. With several
   * instances only the leader reminds, each card checked again as stored.
   */
  async tick(now: Date): Promise<void> {
    this.cards.forgetClosed(now);
    if (this.deps.cluster && !this.deps.cluster.leader.isLeader()) return;
    for (const card of await this.cards.list(CARD_LIST_MAX_AGE_MS)) {
      if (!slaReminder(card, now)) continue;
      let text = '';
      const reminded = await this.cards.change(card.sessionId, (c) => {
        const due = slaReminder(c, now);
        text = due?.text ?? '';
        return due?.card ?? null;
      });
      if (reminded) await this.thread(reminded, text);
    }
  }

  /**
   * Conversations whose personal data was taken out (pipeline/forget.ts): their text leaves Slack's logs and this
   * instance's cards; at the customer's request, their cards in Slack say so (forget-posts.ts).
   */
  async forget(sessions: ReadonlySet<string>, why: RedactionReason): Promise<void> {
    await forgetInSlack(this.deps.store, sessions, why, (call) => this.outbox.send(call));
    await this.cards.reread(sessions);
  }

  /** Slack has been failing for a while: posts are waiting in the outbox. */
  delayed(): boolean {
    return this.outbox.status().failingForMs > DELAYED_AFTER_MS;
  }

  /**
   * The HTTP handler for /slack/events (HTTP mode only). Slack only POSTs:
   * any other method is answered here, because Bolt's receiver throws on it
   * (uncaught, that stopped the server). A timestamp from the future is
   * refused as Bolt refuses one from the past, so a captured request cannot
   * be held back and replayed later.
   */
  handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST') return refuse(res, 405, 'method_not_allowed', `${SLACK_EVENTS_PATH} accepts POST only`, { Allow: 'POST' });
    if (isFromTheFuture(req.headers['x-slack-request-timestamp'], Date.now())) return refuse(res, 401, 'stale_request', 'x-slack-request-timestamp is more than 5 minutes away from now');
    try {
      this.receiver?.requestListener(req, res);
    } catch (err) {
      // Bolt defers what it does not route by throwing; nothing else reaches here, but a throw must never stop the server.
      this.deps.log.warn('slack.request_refused', { method: req.method ?? null, err });
      if (!res.headersSent) refuse(res, 404, 'not_found', `no Slack endpoint here; Slack posts to ${SLACK_EVENTS_PATH}`);
    }
  }

  /**
   * Socket Mode: connects out to Slack, and keeps trying (with backoff) while
   * Slack cannot be reached, so an outage never stops the server starting.
   * Once connected, Bolt's socket client reconnects by itself.
   */
  private connect(failures: number): void {
    if (this.stopping) return;
    this.app.start().then(
      () => this.deps.log.info('slack.connected', { mode: 'socket' }),
      (err: unknown) => {
        const retryMs = Math.min(60_000, 1000 * 2 ** failures);
        this.deps.log.warn('slack.connect_failed', { err, retryMs });
        setTimeout(() => this.connect(failures + 1), retryMs).unref();
      },
    );
  }

  /** Stops taking events, lets the ones being handled finish, then stops the outbox (what is left stays stored). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.receiver) await this.app.stop().catch(() => undefined);
    while (this.handling.size > 0) await Promise.all(this.handling);
    await this.outbox.stop();
  }

  async handedOff(notice: HandoffNotice): Promise<void> {
    const card = newCard(notice, this.deps.categoryName);
    await this.cards.add(card);
    const post = handoffBlocks(card, this.deps.now());
    await this.outbox.send({ method: 'chat.postMessage', channel: card.escalation.channel, args: { ...post, unfurl_links: false }, rememberAs: card.sessionId });
    await this.outbox.send({ method: 'chat.postMessage', channel: card.escalation.channel, args: { text: await this.transcript(card.sessionId), unfurl_links: false }, threadOf: card.sessionId });
    for (const file of customerFiles(await this.deps.store.read(card.sessionId))) await this.outbox.send(fileUploadCall(card.sessionId, card.escalation.channel, file, fileComment(file, '')));
  }

  async rated(sessionId: string, score: number, comment: string | null): Promise<void> {
    const card = await this.cards.change(sessionId, (c) => ({ ...c, rating: score }));
    if (!card) return;
    await this.thread(card, ratingText(score, comment === null ? null : maskPii(comment)));
    // A low score is a task, not a statistic: the case's owner (or supervisor) follows it up.
    if (score <= LOW_RATING) await this.thread(card, lowRatingTaskText(card.owner ?? card.escalation.supervisor.slack));
  }

  async followUpDue(sessionId: string, ticket: string, call: boolean): Promise<void> {
    const card = await this.cards.stored(sessionId);
    if (card) await this.thread(card, followUpDueText(ticket, card.owner ?? card.escalation.supervisor.slack, call));
  }

  async callBackDue(sessionId: string, ticket: string): Promise<void> {
    const card = await this.cards.stored(sessionId);
    if (card) await this.thread(card, callBackDueText(ticket, card.escalation.supervisor.slack));
  }

  async followUpAnswered(sessionId: string, ticket: string, solved: boolean | null): Promise<void> {
    const card = await this.cards.stored(sessionId);
    if (card) await this.thread(card, followUpAnsweredText(ticket, solved));
  }

  /** Only a card nobody has claimed changes: an agent already talking to the customer sees the end in the thread. */
  async withdrawn(sessionId: string, why: 'cancelled' | 'ended'): Promise<void> {
    const card = await this.cards.change(sessionId, (c) => (c.state === 'waiting' ? { ...c, state: 'withdrawn' } : null));
    if (!card) return;
    await this.postCard(card);
    await this.thread(card, withdrawnText(why));
  }

  async customerSaid(sessionId: string, text: string, file: StoredFile | null = null): Promise<void> {
    const card = await this.cards.get(sessionId);
    const channel = card?.escalation.channel ?? (await this.posts.post(sessionId))?.channel;
    if (!channel) return;
    if (file) await this.outbox.send(fileUploadCall(sessionId, channel, file, fileComment(file, escapeSlack(maskPii(text)))));
    else await this.outbox.send({ method: 'chat.postMessage', channel, args: { text: customerMessageText(maskPii(text)), unfurl_links: false }, threadOf: sessionId });
    if (text.trim() === '') return;
    if (!card || card.state === 'resolved' || card.state === 'returned') return;
    const live = this.deps.liveSuggestion(text);
    if (live === null) return;
    const suggestion = maskPii(live);
    await this.cards.change(sessionId, (c) => ({ ...c, liveSuggestion: suggestion }));
    await this.outbox.send({ method: 'chat.postMessage', channel, args: { ...liveSuggestionBlocks(sessionId, suggestion), unfurl_links: false }, threadOf: sessionId });
  }

  private listen(): void {
    this.app.use(async ({ body, next }) => {
      // Slack redelivers an event it thinks failed; a customer must never get an agent's reply twice.
      const id = (body as { event_id?: string }).event_id;
      if (id !== undefined && !(await this.seen.firstTime(id))) return;
      const handled = next();
      this.handling.add(handled);
      try {
        await handled;
      } finally {
        this.handling.delete(handled);
      }
    });
    this.app.action<BlockAction<ButtonAction>>(ACTIONS.editAndSend, async ({ ack, body, action }) => {
      await ack();
      const card = await this.cards.get(action.value ?? '');
      if (card) await this.client.views.open({ trigger_id: body.trigger_id, view: editReplyModal(card) });
    });
    for (const id of [ACTIONS.claim, ACTIONS.sendSuggestion, ACTIONS.escalate, ACTIONS.returnToBot, ACTIONS.resolve, ACTIONS.sendLive, ACTIONS.sendHeld]) {
      this.app.action<BlockAction<ButtonAction>>(id, async ({ ack, body, action }) => {
        await ack();
        await this.pressed(action.action_id, action.value ?? '', body.user.id);
      });
    }
    this.app.event('app_home_opened', async ({ event }) => this.publishHome(event.user));
    this.app.action<BlockAction<ButtonAction>>(DUTY_ACTION, async ({ ack, body, action }) => {
      await ack();
      await this.deps.desk.presence.declare(`slack:${body.user.id}`, action.value === 'on', this.deps.now());
      await this.publishHome(body.user.id);
    });
    this.app.command('/tact', async ({ command, ack }) => {
      await ack({ response_type: 'ephemeral', text: this.commandReply(command.text) });
    });
    this.app.shortcut(SAVE_FAQ.shortcut, async ({ ack, shortcut }) => {
      await ack();
      if (shortcut.type === 'message_action') await this.openSaveFaq(shortcut);
    });
    this.app.view(SAVE_FAQ.modal, async ({ ack, view, body }) => {
      const origin = readOrigin(view.private_metadata);
      const parsed = readSaveFaq(view.state.values, origin?.lang ?? 'zh');
      if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
      const saved = writeSubmission(this.deps.kbDir, parsed.value, `slack:${body.user.id}`);
      if (!saved.ok) return ack({ response_action: 'errors', errors: saved.errors });
      await ack();
      if (origin) await this.outbox.send({ method: 'chat.postMessage', channel: origin.channel, args: { text: savedFaqText(saved.faqId, parsed.value.kind, body.user.id), thread_ts: origin.thread } });
    });
    this.app.view(EDIT_MODAL.callbackId, async ({ ack, view, body }) => {
      await ack();
      const text = view.state.values[EDIT_MODAL.block]?.[EDIT_MODAL.action]?.value ?? '';
      await this.sendAsAgent(view.private_metadata, body.user.id, text);
    });
    this.app.event('message', async ({ event }) => {
      const m = event as { subtype?: string; bot_id?: string; thread_ts?: string; channel: string; user?: string; text?: string; ts: string; files?: readonly SlackFile[] };
      // file_share: a message with files (and maybe words); other subtypes are edits, joins, bots…
      if ((m.subtype !== undefined && m.subtype !== 'file_share') || m.bot_id !== undefined || !m.thread_ts || !m.user) return;
      const files = Array.isArray(m.files) ? m.files : [];
      if (!m.text && files.length === 0) return;
      const sessionId = await this.posts.keyOf(m.channel, m.thread_ts);
      if (sessionId) await this.threadReply(sessionId, m.channel, m.user, m.text ?? '', files);
    });
  }

  private async publishHome(user: string): Promise<void> {
    const now = this.deps.now();
    const presence = this.deps.desk.presence;
    const duty = { onDuty: presence.isOnDuty(`slack:${user}`, now), agentsOnDuty: presence.onDuty(now).length };
    await this.client.views.publish({ user_id: user, view: homeView(await this.cards.list(0), user, now, this.deps.timezone, duty) });
  }

  private commandReply(text: string): string {
    const [sub = '', ...rest] = text.trim().split(/\s+/);
    const arg = rest.join(' ').slice(0, MAX_COMMAND_TEXT);
    if (arg === '') return COMMAND_HELP;
    if (sub === 'suggest') return suggestionText(maskPii(arg), this.deps.ask(arg));
    if (sub === 'kb') return kbResultsText(arg, this.deps.findFaqs(arg));
    return COMMAND_HELP;
  }

  private async pressed(actionId: string, sessionId: string, user: string): Promise<void> {
    const card = await this.cards.get(sessionId);
    if (!card) return;
    this.deps.desk.presence.active(`slack:${user}`, this.deps.now());
    const name = await this.nameOf(user);
    switch (actionId) {
      case ACTIONS.claim:
        return this.claim(card, user, name);
      case ACTIONS.sendSuggestion:
        return this.sendAsAgent(sessionId, user, card.suggestedReply);
      case ACTIONS.returnToBot:
        await this.deps.desk.returnToBot(sessionId, name);
        return this.update(card, 'returned', card.owner ?? user);
      case ACTIONS.resolve:
        await this.deps.desk.resolve(sessionId, name);
        return this.update(card, 'resolved', card.owner ?? user);
      case ACTIONS.sendLive:
        return card.liveSuggestion ? this.sendAsAgent(sessionId, user, card.liveSuggestion) : undefined;
      case ACTIONS.sendHeld:
        return card.held?.user === user ? this.sendAsAgent(sessionId, user, card.held.text, { confirmed: true }) : undefined;
      case ACTIONS.escalate:
        return this.thread(card, escalationText(card, user));
      default:
        this.deps.log.warn('slack.unknown_action', { actionId });
    }
  }

  /** The owner's thread replies go to the customer; anyone else's stay in Slack as internal notes. */
  private async threadReply(sessionId: string, channel: string, user: string, text: string, files: readonly SlackFile[] = []): Promise<void> {
    const card = await this.cards.get(sessionId);
    this.deps.desk.presence.active(`slack:${user}`, this.deps.now());
    if (card?.owner === user && card.state === 'claimed') {
      const plain = slackToPlainText(text);
      if (plain !== '') await this.sendAsAgent(sessionId, user, plain);
      for (const file of files.slice(0, MAX_FILES_PER_MESSAGE)) await this.sendFileAsAgent(card, user, file);
      return;
    }
    await this.outbox.send({ method: 'chat.postEphemeral', channel, args: { user, text: internalNoteText(card?.owner ?? null) }, threadOf: sessionId });
  }

  /**
   * The first agent to claim (or answer) owns the conversation; later claims change nothing, and nor
   * does a claim on a closed card: the handoff state machine refuses them (already_claimed, not_open).
   * Alone, the card is owned in memory before anything is awaited, so two presses together cannot both
   * get it; with several instances the claim is taken in Redis first, for the same reason across them.
   */
  private async claim(card: HandoffCard, user: string, name: string): Promise<void> {
    const joined = { kind: 'joined', agent: user } as const;
    const claims = this.deps.cluster?.claims;
    if (claims) {
      const current = await this.cards.get(card.sessionId);
      if (!current || !nextHandoff(cardHandoff(current), joined).ok) return;
      if (!(await claims.firstTime(`${card.sessionId}:${current.handedOffAt}`))) return;
    }
    const claimedAt = this.deps.now().toISOString();
    const claimed = await this.cards.change(card.sessionId, (c) => (nextHandoff(cardHandoff(c), joined).ok ? { ...c, state: 'claimed', owner: user, claimedAt } : null));
    if (!claimed) return;
    await this.deps.desk.claim(card.sessionId, name);
    await this.outbox.send({ method: 'chat.postMessage', channel: card.escalation.channel, args: { text: claimConfirmationText(user) }, threadOf: card.sessionId });
    await this.postCard(claimed);
  }

  /**
   * Sends an agent's words to the customer (claiming the conversation first
   * if nobody has), then coaches the agent privately if the reply breaks the
   * standard's tone rules. Warn only: the customer is not kept waiting.
   */
  private async sendAsAgent(sessionId: string, user: string, text: string, opts: { confirmed?: boolean } = {}): Promise<void> {
    const card = await this.cards.get(sessionId);
    // Nothing goes to a customer whose handoff is closed (returned, resolved, or withdrawn before anyone claimed it).
    if (!card || text.trim() === '' || !isOpen(cardHandoff(card))) return;
    const findings = this.deps.checkTone(text, card.lang, { firstReply: !card.answeredAt, customerUpset: card.emotion.level !== 'calm' });
    if (findings.length > 0 && this.config.toneCoaching === 'hold' && !opts.confirmed) {
      await this.cards.change(sessionId, (c) => ({ ...c, held: { user, text } }));
      await this.outbox.send({ method: 'chat.postEphemeral', channel: card.escalation.channel, args: { user, ...heldReplyBlocks(sessionId, findings) }, threadOf: sessionId });
      return;
    }
    const name = await this.nameOf(user);
    await this.claim(card, user, name);
    await this.deps.desk.reply(sessionId, name, text);
    const answeredAt = this.deps.now().toISOString();
    await this.cards.change(sessionId, (c) => ({ ...c, answeredAt: c.answeredAt ?? answeredAt, held: undefined }));
    if (findings.length > 0 && !opts.confirmed) await this.outbox.send({ method: 'chat.postEphemeral', channel: card.escalation.channel, args: { user, text: toneCoachingText(findings, false) }, threadOf: sessionId });
  }

  /** A file the owner shared in the thread, fetched from Slack, made safe and kept, then sent to the customer; the owner hears privately if it cannot be. */
  private async sendFileAsAgent(card: HandoffCard, user: string, shared: SlackFile): Promise<void> {
    if (!isOpen(cardHandoff(card))) return;
    try {
      const bytes = await downloadSlackFile(shared, this.client.token ?? '', this.config.apiUrl);
      const file = await this.deps.attachments.keep(card.sessionId, bytes, shared.name ?? null, 'agent');
      await this.deps.desk.reply(card.sessionId, await this.nameOf(user), '', file);
    } catch (err) {
      if (!(err instanceof SlackFileError || err instanceof FileError)) throw err;
      await this.outbox.send({ method: 'chat.postEphemeral', channel: card.escalation.channel, args: { user, text: fileNotSentText(shared.name ?? 'file', err.message) }, threadOf: card.sessionId });
    }
  }

  private async update(card: HandoffCard, state: CardState, owner: string | null): Promise<void> {
    const next = await this.cards.change(card.sessionId, (c) => ({ ...c, state, owner }));
    if (next) await this.postCard(next);
  }

  /** The handoff post shows the card as it is now. */
  private postCard(card: HandoffCard): Promise<void> {
    return this.outbox.send({ method: 'chat.update', channel: card.escalation.channel, args: handoffBlocks(card, this.deps.now()), threadOf: card.sessionId });
  }

  private thread(card: HandoffCard, text: string): Promise<void> {
    return this.outbox.send({ method: 'chat.postMessage', channel: card.escalation.channel, args: { text }, threadOf: card.sessionId });
  }

  /** Opens "Save as FAQ" on an agent's reply: the customer's last question and the reply, and the closest FAQs. */
  private async openSaveFaq(shortcut: MessageShortcut): Promise<void> {
    const channel = shortcut.channel.id;
    const thread = shortcut.message.thread_ts ?? shortcut.message.ts;
    const sessionId = await this.posts.keyOf(channel, thread);
    const question = sessionId ? maskPii(await this.lastCustomerMessage(sessionId)) : '';
    const lang = (sessionId ? (await this.cards.get(sessionId))?.lang : undefined) ?? 'zh';
    const prefill = { question, answer: slackToPlainText(shortcut.message.text ?? ''), closest: question ? this.deps.findFaqs(question) : [], categories: this.deps.categories() };
    await this.client.views.open({ trigger_id: shortcut.trigger_id, view: saveFaqModal(prefill, { lang, channel, thread }) });
  }



  private async lastCustomerMessage(sessionId: string): Promise<string> {
    return (await this.messages(sessionId)).filter((m) => m.from === 'customer').pop()?.text ?? '';
  }

  /** The conversation so far, masked, as agents see it. */
  private async transcript(sessionId: string): Promise<string> {
    return transcriptText((await this.messages(sessionId)).map((m) => ({ ...m, text: maskPii(m.text) })));
  }

  private async messages(sessionId: string): Promise<{ from: 'customer' | 'bot' | 'agent'; text: string; agent?: string }[]> {
    return (await this.deps.store.read(sessionId)).flatMap((e) => (e.kind === 'message' ? [{ from: e.from, text: e.text, ...(e.agent ? { agent: e.agent } : {}) }] : []));
  }

  /** An agent's display name for the customer, looked up once. */
  private async nameOf(user: string): Promise<string> {
    const known = this.names.get(user);
    if (known) return known;
    try {
      const info = await this.client.users.info({ user });
      const name = info.user?.profile?.display_name || info.user?.real_name || info.user?.name || user;
      this.names.set(user, name);
      return name;
    } catch (err) {
      this.deps.log.warn('slack.user_lookup_failed', { user, err });
      return user;
    }
  }
}

/** True when a Slack request's timestamp (seconds) is more than the allowed skew ahead of now; a missing or malformed one is Bolt's to refuse. */
export function isFromTheFuture(header: string | string[] | undefined, nowMs: number): boolean {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds * 1000 > nowMs + MAX_CLOCK_SKEW_MS;
}

function refuse(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

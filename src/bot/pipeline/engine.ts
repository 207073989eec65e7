/**
 * The turn engine: Botkit runs the conversation scripts, fed by Tact's own
 * Botbuilder adapter. Every channel (the web chat, the terminal) is a port:
 * it hands the engine turns for a session id it has proved, and replies go
 * back through the `deliver` port to that same session only. Who a message
 * is from is decided by the channel's server side, never by a client.
 *
 * (botbuilder-adapter-web keys sockets by whatever user id a client sends,
 * so one customer can claim another's id and read their replies; this
 * adapter knows nothing about sockets.)
 *
 * Turns of one session run one at a time, in arrival order (a TurnQueue,
 * turn-queue.ts), so a dialog's state is never read and written by two
 * turns at once; sessions run in parallel with each other. A customer message's activity carries its widget
 * id, which the pending-turn middleware (pipeline/pending-turns.ts) keys on
 * to run its turn once and record it finished.
 */
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { Botkit } from 'botkit';
import { DialogStorage } from './dialog-storage.js';
import { runPendingTurnsOnce } from './pending-turns.js';
import { LocalTurnQueue, type TurnQueue } from './turn-queue.js';
import { useTurnMiddleware, type BotDeps } from './turn.js';
import type { Deliver, Inbound, Outbound, ReplyChannelData } from './turn-io.js';

/** Part of every stored dialog's key (dialog-storage.ts): kept as it was, so dialogs stored before the engine moved here resume. */
export const CHANNEL_ID = 'tact-web';

export type TurnLogic = (context: TurnContext) => Promise<void>;

export interface EngineOptions {
  /** Orders each conversation's turns (default: in this process). */
  readonly queue?: TurnQueue;
  /** Runs first in every turn, once the turn has its place in the queue (several instances: bring the session up to date with the store). */
  readonly beforeTurn?: (sessionId: string) => Promise<void>;
}

export class TurnAdapter extends BotAdapter {
  private logic: TurnLogic | null = null;
  private readonly queue: TurnQueue;

  constructor(
    private readonly deliver: Deliver,
    private readonly options: EngineOptions = {},
  ) {
    super();
    this.queue = options.queue ?? new LocalTurnQueue();
  }

  /** Botkit's turn handler; set once the controller exists. */
  setLogic(logic: TurnLogic): void {
    this.logic = logic;
  }

  /** Runs a turn for the session after the ones before it; resolves when its replies are delivered. */
  receive(sessionId: string, input: Inbound): Promise<void> {
    return this.queue.run(sessionId, () => this.runTurn(sessionId, input));
  }

  /** Resolves once every queued turn has finished (for shutdown). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const sessionId = context.activity.conversation.id;
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const out = outbound(activity);
      if (out) await this.deliver(sessionId, out);
      responses.push({ id: activity.id ?? '' });
    }
    return responses;
  }

  updateActivity(): Promise<void> {
    return Promise.reject(new Error('the web chat cannot edit a sent message'));
  }

  deleteActivity(): Promise<void> {
    return Promise.reject(new Error('the web chat cannot delete a sent message'));
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  private async runTurn(sessionId: string, input: Inbound): Promise<void> {
    if (!this.logic) throw new Error('the adapter has no turn logic yet (Botkit controller not created)');
    await this.options.beforeTurn?.(sessionId);
    await this.runMiddleware(new TurnContext(this, activityFor(sessionId, input)), this.logic);
  }
}

function activityFor(sessionId: string, input: Inbound): Partial<Activity> {
  const base = {
    channelId: CHANNEL_ID,
    from: { id: sessionId, name: 'customer' },
    recipient: { id: 'tact', name: 'Tact' },
    conversation: { id: sessionId, isGroup: false, name: '', conversationType: 'personal' },
    timestamp: new Date(),
  };
  if (input.kind === 'message') {
    return { ...base, type: 'message', id: input.clientId, text: input.text, value: input.payload, channelData: { payload: input.payload, contact: input.contact ?? null, file: input.file ?? null } };
  }
  const data = 'data' in input ? input.data : {};
  return { ...base, type: 'event', name: input.name, value: data, channelData: { botkitEventType: input.name, ...data } };
}

function outbound(activity: Partial<Activity>): Outbound | null {
  const data = (activity.channelData ?? {}) as ReplyChannelData;
  if (activity.type === 'typing') return { kind: 'typing' };
  if (activity.type === 'event' && data.lang) return { kind: 'lang', lang: data.lang };
  if (activity.type === 'event' && data.status) return { kind: 'status', status: data.status, ...(data.position !== undefined ? { position: data.position } : {}), ...(data.agent ? { agent: data.agent } : {}) };
  if (activity.type !== 'message' || (!activity.text && !data.file)) return null;
  const quickReplies = data.quick_replies && data.quick_replies.length > 0 ? data.quick_replies.map((q) => ({ title: q.title, payload: q.payload })) : undefined;
  const text = activity.text ?? '';
  return data.from === 'agent'
    ? { kind: 'message', from: 'agent', text, agent: data.agent ?? '', ...(data.file ? { file: data.file } : {}) }
    : { kind: 'message', from: 'bot', text, ...(quickReplies ? { quickReplies } : {}) };
}

/** Puts the conversation scripts on a Botkit controller (scripts/index.ts's registerScripts; given by the caller, so the pipeline never imports the scripts that build on it). */
export type RegisterScripts = (controller: Botkit, deps: BotDeps) => void;

/**
 * Botkit with the scripts on a turn adapter that delivers through
 * `deliver`: the one engine every channel plugs into. Resolves once the
 * scripts are loaded.
 */
export async function createEngine(deps: BotDeps, deliver: Deliver, registerScripts: RegisterScripts, options: EngineOptions = {}): Promise<TurnAdapter> {
  const adapter = new TurnAdapter(deliver, options);
  const controller = new Botkit({ adapter, storage: new DialogStorage(deps.sessions, deps.store, deps.now), disable_webserver: true, disable_console: true });
  adapter.setLogic((context) => controller.handleTurn(context));
  adapter.use(runPendingTurnsOnce(deps.sessions, deps.now, deps.log));
  useTurnMiddleware(controller, deps);
  registerScripts(controller, deps);
  await new Promise<void>((resolve) => controller.ready(() => resolve()));
  return adapter;
}

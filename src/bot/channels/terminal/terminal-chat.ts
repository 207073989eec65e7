/**
 * The terminal chat: a channel port on the turn engine, as the web chat
 * socket is, for one customer at the keyboard. It opens a session (a new
 * session id, recorded, then the welcome event), hands each typed line to
 * the pipeline as a customer message with an id of its own (stored before
 * its turn runs), and shows what the pipeline delivers (the `Delivery` port). Ending the chat (/end,
 * Ctrl-D) sends the 'end' event, so the survey runs; the chat is over once
 * that survey has finished.
 *
 * The person at the keyboard can also play the desk (/join, /agent,
 * /resolve …): those go to the Desk, as Slack's buttons do, so agent
 * messages, the hand-back and the survey after a resolved case all come
 * through the scripts like everything else.
 */
import { randomBytes } from 'node:crypto';
import type { Customer } from '../../core/address.js';
import { agentOf, nextHandoff, type HandoffRefusal } from '../../core/handoff.js';
import type { Lang } from '../../../kb/types.js';
import type { Desk } from '../../pipeline/desk.js';
import { dialogWaiting } from '../../pipeline/dialog-storage.js';
import type { Delivered, Delivery, Outlet } from '../../pipeline/deliver.js';
import type { Inbound } from '../../pipeline/turn-io.js';
import type { AgentKey } from '../../pipeline/presence.js';
import type { ChatSession, SessionBook } from '../../pipeline/sessions.js';
import { PAYLOAD } from '../../pipeline/turn.js';
import { MAX_CONTACT_CHARS } from '../web/protocol.js';
import { clean, COMMANDS, MAX_LINE_CHARS, readLine, type AgentCommand, type Choice } from './input.js';
import { customerLine, render, type Status } from './render.js';

/** The person at the terminal, as an agent: on duty from the start, so asking for a person queues (`/duty off` tries the message form). */
export const TERMINAL_AGENT: AgentKey = 'admin:terminal';

/** The agent commands that move the handoff, as the state machine names the moves. */
const MOVES = { away: 'away', back: 'back', return: 'returned', resolve: 'resolved' } as const;

/** Why an agent command does nothing now, for the person at the keyboard (the handoff state machine's refusals). */
const REFUSED: Readonly<Record<HandoffRefusal, string>> = {
  not_open: 'nobody is waiting for a person: the customer asks for one first (e.g. 转人工, or a complaint)',
  already_claimed: 'an agent already has the chat',
  not_claimed: 'no agent has the chat: /join NAME first',
  not_holder: 'another agent has the chat',
  already_away: 'the agent is already away: /back when they return',
  not_away: 'the agent has not stepped away',
};

export interface TerminalChatOptions {
  readonly sessions: SessionBook;
  /** Stores a customer message (the pipeline's Outlet). */
  readonly accept: Outlet['accept'];
  readonly desk: Desk;
  /** Runs a turn (Botkit, via the engine) for the session. */
  readonly receive: (sessionId: string, input: Inbound) => Promise<void>;
  readonly now: () => Date;
  /** The language the chat opens in (the greeting's), until the customer writes. */
  readonly lang: Lang;
  readonly customer: Customer;
  /** Shows lines of the conversation (stdout). */
  readonly show: (lines: readonly string[]) => void;
  /** Tells the person at the keyboard something that is not part of the conversation (stderr). */
  readonly note: (text: string) => void;
  /** Shows each customer line again: piped input, so the output reads as the whole conversation. */
  readonly echo: boolean;
}

/** After a line: the chat goes on, or it has ended and its survey is done. */
export type ChatState = 'open' | 'over';

/** The terminal's name for its one connection (a Delivery `origin`): what the customer typed is not shown back by the pipeline. */
const ORIGIN = 'terminal';

export class TerminalChat implements Delivery {
  /** A session id like the web chat's (22 characters), which dialog storage and the store expect. */
  readonly id = randomBytes(16).toString('base64url');
  private choices: readonly Choice[] = [];
  private status: Status = 'bot';
  private lines = 0;
  private messages = 0;
  private ending = false;
  /** The leave-a-message questions while they are being answered: what it is about (null until typed), then contact details. */
  private form: { what: string | null } | null = null;

  constructor(private readonly opts: TerminalChatOptions) {}

  /** Whether the customer has ended the chat (the survey may still be running). */
  get ended(): boolean {
    return this.ending;
  }

  /** Opens the session: recorded with its language and name, then the welcome. */
  async open(): Promise<void> {
    const { sessions, lang, customer, now } = this.opts;
    const session = await sessions.load(this.id, lang);
    session.customer = customer;
    // The terminal is the session's one open connection: queue reminders reach it, and it is never evicted.
    session.sockets++;
    await sessions.saveSettings(session, now().toISOString());
    await this.opts.receive(this.id, { kind: 'event', name: 'welcome' });
  }

  /** The Delivery port: a message (stored by the pipeline) or a status change is shown. */
  send(sessionId: string, item: Delivered, origin?: string): void {
    if (sessionId !== this.id || origin === ORIGIN) return;
    if (item.type === 'message') this.choices = item.quickReplies ?? [];
    this.opts.show(render(item, this.status));
    if (item.type === 'status') this.status = item.status;
  }

  /** One typed line: a customer message, /end, an agent command, or nothing to send. */
  async type(raw: string): Promise<ChatState> {
    this.lines++;
    if (this.form !== null) {
      if (this.opts.echo) this.opts.show([customerLine(clean(raw).trim())]);
      return this.fillForm(clean(raw).trim());
    }
    const typed = readLine(raw, this.choices);
    if (typed.kind === 'blank') return 'open';
    if (typed.kind === 'too_long') {
      this.opts.note(`line ${this.lines} is ${typed.chars} characters; a message may have at most ${MAX_LINE_CHARS}: not sent`);
      return 'open';
    }
    if (this.opts.echo) this.opts.show([customerLine(clean(raw).trim())]);
    switch (typed.kind) {
      case 'message':
        if (typed.payload === PAYLOAD.leaveMessage) return this.openForm();
        return this.say(typed.text, typed.payload);
      case 'end':
        return this.end();
      case 'agent':
        await this.agent(typed.command);
        return this.state();
      case 'help':
        this.opts.note(['commands:', ...COMMANDS.map(([command, what]) => `  ${command.padEnd(14)}${what}`)].join('\n'));
        return 'open';
      case 'bad_command':
        this.opts.note(typed.problem);
        return 'open';
    }
  }

  /** The widget's leave-a-message form, as two questions: what it is about, then contact details (typing them is the consent). */
  private openForm(): ChatState {
    this.form = { what: null };
    this.opts.note('leave a message for the team: type what it is about (one line)');
    return 'open';
  }

  private async fillForm(text: string): Promise<ChatState> {
    const form = this.form as { what: string | null };
    if (form.what === null) {
      if (text === '') return 'open';
      if (text.length > MAX_LINE_CHARS) {
        this.opts.note(`a message may have at most ${MAX_LINE_CHARS} characters; type a shorter one`);
        return 'open';
      }
      this.form = { what: text };
      this.opts.note('a phone number or e-mail address to contact you about it (typing one is your consent), or an empty line for none');
      return 'open';
    }
    this.form = null;
    return this.say(form.what, PAYLOAD.leaveMessage, text === '' ? null : text.slice(0, MAX_CONTACT_CHARS));
  }

  /** The customer ends the chat: out of the queue, and the survey runs. */
  async end(): Promise<ChatState> {
    this.ending = true;
    await this.opts.receive(this.id, { kind: 'event', name: 'end' });
    return this.state();
  }

  private async say(text: string, payload: string | null, contact: string | null = null): Promise<ChatState> {
    const session = await this.session();
    const clientId = `m${++this.messages}`;
    try {
      await this.opts.accept(session, { text, id: clientId, payload, contact }, ORIGIN);
    } catch (err) {
      // As the web chat does: a message that is not stored is not answered; the customer can type it again.
      this.opts.note(`your message could not be saved (${err instanceof Error ? err.message : String(err)}); type it again`);
      return 'open';
    }
    await this.opts.receive(this.id, { kind: 'message', text, payload, clientId, contact });
    return this.state();
  }

  /** An agent action through the desk, when the conversation is in a state an agent could take it. */
  private async agent(command: AgentCommand): Promise<void> {
    const { desk } = this.opts;
    if (command.kind === 'duty') {
      await desk.presence.declare(TERMINAL_AGENT, command.on, this.opts.now());
      return this.opts.note(command.on ? 'you are on duty: a customer who asks for a person joins the queue' : 'you are off duty: a customer who asks for a person is asked to leave a message');
    }
    const session = await this.session();
    if (command.kind === 'join') {
      const step = nextHandoff(session.handoff, { kind: 'joined', agent: command.agent });
      return step.ok ? desk.claim(this.id, command.agent) : this.opts.note(REFUSED[step.why]);
    }
    const agent = agentOf(session.handoff);
    if (agent === null) return this.opts.note(REFUSED.not_claimed);
    if (command.kind === 'say') return desk.reply(this.id, agent, command.text);
    // Said here, at the keyboard: the desk would refuse the move without a word to anyone.
    const step = nextHandoff(session.handoff, { kind: MOVES[command.kind], agent });
    if (!step.ok) return this.opts.note(REFUSED[step.why]);
    switch (command.kind) {
      case 'away':
        return desk.away(this.id, agent);
      case 'back':
        return desk.back(this.id, agent);
      case 'return':
        return desk.returnToBot(this.id, agent);
      case 'resolve':
        return desk.resolve(this.id, agent);
    }
  }

  /** Over once the chat was ended and no dialog (the survey) is waiting for an answer. */
  private async state(): Promise<ChatState> {
    return this.ending && !dialogWaiting(await this.session()) ? 'over' : 'open';
  }

  private session(): Promise<ChatSession> {
    return this.opts.sessions.load(this.id, this.opts.lang);
  }
}

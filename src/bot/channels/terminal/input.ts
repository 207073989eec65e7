/**
 * What a line typed in the terminal chat means: a customer message (a
 * number alone picks that choice of the last message's quick replies, as
 * tapping the button would), the end of the chat, one of the agent-side
 * commands a KB editor uses to play the desk, or nothing to send (blank,
 * too long, a command it does not know). Pure: the channel acts on it.
 *
 * Control characters are taken out of the line first (a pasted escape
 * sequence, a stray NUL), and a line longer than the web chat allows is
 * refused whole rather than cut, so nothing is sent that the customer did
 * not mean.
 */
import type { Outbound } from '../../pipeline/turn-io.js';

export type Choice = NonNullable<Extract<Outbound, { kind: 'message' }>['quickReplies']>[number];

/** The longest customer message, in characters: the same as the web chat's. */
export const MAX_LINE_CHARS = 2000;

export type AgentCommand =
  | { readonly kind: 'join'; readonly agent: string }
  | { readonly kind: 'say'; readonly text: string }
  | { readonly kind: 'away' }
  | { readonly kind: 'back' }
  | { readonly kind: 'return' }
  | { readonly kind: 'resolve' }
  | { readonly kind: 'duty'; readonly on: boolean };

export type TypedLine =
  | { readonly kind: 'blank' }
  | { readonly kind: 'too_long'; readonly chars: number }
  | { readonly kind: 'message'; readonly text: string; readonly payload: string | null }
  | { readonly kind: 'end' }
  | { readonly kind: 'help' }
  | { readonly kind: 'agent'; readonly command: AgentCommand }
  | { readonly kind: 'bad_command'; readonly problem: string };

/** The commands, as `/help` lists them. */
export const COMMANDS: readonly (readonly [string, string])[] = [
  ['/end', 'end the chat (the survey follows); Ctrl-D does the same'],
  ['/join NAME', 'an agent called NAME takes the waiting customer'],
  ['/agent TEXT', 'the agent writes TEXT to the customer'],
  ['/away, /back', 'the agent steps away, and comes back'],
  ['/return', 'the agent hands the chat back to the bot'],
  ['/resolve', 'the agent resolves the case (the survey follows)'],
  ['/duty on|off', 'you, the agent, go on or off duty (off: a customer who asks for a person is asked to leave a message)'],
  ['/help', 'this list'],
];

/** Control characters (C0, DEL, C1: Unicode's Cc); a tab reads as a space first. */
const CONTROL = /\p{Cc}/gu;

export function clean(raw: string): string {
  return raw.replace(/\t/g, ' ').replace(CONTROL, '');
}

/**
 * Reads one typed line against the choices on screen.
 *
 * @example readLine('2', [{ title: '是', payload: 'yes' }, { title: '否', payload: 'no' }]) // { kind: 'message', text: '否', payload: 'no' }
 */
export function readLine(raw: string, choices: readonly Choice[]): TypedLine {
  const text = clean(raw).trim();
  if (text === '') return { kind: 'blank' };
  if (text.length > MAX_LINE_CHARS) return { kind: 'too_long', chars: text.length };
  const command = /^\/([a-z]+)(?:\s+(.*))?$/i.exec(text);
  if (command) return readCommand((command[1] ?? '').toLowerCase(), (command[2] ?? '').trim());
  const picked = /^\d{1,3}$/.test(text) ? choices[Number(text) - 1] : undefined;
  return picked ? { kind: 'message', text: picked.title, payload: picked.payload } : { kind: 'message', text, payload: null };
}

function readCommand(name: string, arg: string): TypedLine {
  switch (name) {
    case 'end':
      return { kind: 'end' };
    case 'help':
      return { kind: 'help' };
    case 'join':
      return arg === '' ? { kind: 'bad_command', problem: '/join needs the agent\'s name, e.g. /join Alice' } : { kind: 'agent', command: { kind: 'join', agent: arg } };
    case 'agent':
      return arg === '' ? { kind: 'bad_command', problem: '/agent needs the text the agent writes, e.g. /agent 您好，我来帮您查一下' } : { kind: 'agent', command: { kind: 'say', text: arg } };
    case 'duty':
      return arg === 'on' || arg === 'off' ? { kind: 'agent', command: { kind: 'duty', on: arg === 'on' } } : { kind: 'bad_command', problem: '/duty needs on or off, e.g. /duty off' };
    case 'away':
    case 'back':
    case 'return':
    case 'resolve':
      return { kind: 'agent', command: { kind: name } };
    default:
      return { kind: 'bad_command', problem: `unknown command /${name}; /help lists the commands` };
  }
}

/**
 * `window.Tact`, the page's handle on the widget. It exists once the script
 * has run; pages that load the script async can wait for the `tact:ready`
 * event on window (its `detail` is the API too).
 *
 * @example
 *   window.addEventListener('tact:ready', () => {
 *     Tact.identify({ id: 'u42', name: '张伟', hash: serverSignedHash });
 *     Tact.on('message', (m) => console.log(m.from, m.text));
 *   });
 */
import type { ChatMessage, IdentityClaim } from '../bot/channels/web/protocol.js';
import type { Chat } from './chat.js';

export interface TactApi {
  open(): void;
  close(): void;
  /** Sends text as the customer, exactly as if typed. */
  send(text: string): void;
  /** Who the logged-in customer is; `hash` is HMAC-SHA256(identity secret, id), computed by the shop's server. */
  identify(identity: IdentityClaim): void;
  /** Each new bot or agent message; returns a function that unsubscribes. */
  on(event: 'message', handler: (message: ChatMessage) => void): () => void;
}

declare global {
  interface Window {
    Tact?: TactApi;
  }
}

export function installApi(chat: Chat): TactApi {
  const api: TactApi = {
    open: () => chat.open(),
    close: () => chat.close(),
    send: (text) => {
      if (typeof text === 'string') chat.send(text);
    },
    identify: (identity) => {
      if (isIdentity(identity)) chat.identify({ id: identity.id, name: identity.name, hash: identity.hash });
    },
    on: (event, handler) => (event === 'message' && typeof handler === 'function' ? chat.onMessage(handler) : () => undefined),
  };
  window.Tact = api;
  window.dispatchEvent(new CustomEvent('tact:ready', { detail: api }));
  return api;
}

/** The page is plain JavaScript: check what it passes before it reaches the socket. */
function isIdentity(v: unknown): v is IdentityClaim {
  if (typeof v !== 'object' || v === null) return false;
  const { id, name, hash } = v as Record<string, unknown>;
  return typeof id === 'string' && typeof name === 'string' && typeof hash === 'string';
}

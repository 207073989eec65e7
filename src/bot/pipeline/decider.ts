/**
 * Where a turn's decision is made. The decision core is pure (same index,
 * conversation and message, same decision), so it can run on this event
 * loop or in worker threads (decision-pool.ts) with the same result; the
 * pool keeps the socket's event loop free for acknowledgements and
 * deliveries while the matcher works.
 */
import type { Customer } from '../core/address.js';
import type { Conversation } from '../core/conversation.js';
import { decideChoice, decideTurn, type TurnResult } from '../core/decide.js';
import type { FaqIndex } from '../core/faq-index.js';

/** A customer message to decide, or (`choice`) the FAQ they picked from a clarification's suggestions. */
export type DecideRequest =
  | { readonly kind: 'turn'; readonly conversation: Conversation; readonly text: string; readonly customer: Customer; readonly asksForHuman: boolean }
  | { readonly kind: 'choice'; readonly conversation: Conversation; readonly faqId: string; readonly customer: Customer };

export interface Decider {
  /** The decision and the conversation after it; null only for a choice of an FAQ the index does not have. */
  decide(index: FaqIndex, request: DecideRequest): Promise<TurnResult | null>;
  /** Worker threads running, and holding the newest KB (for /healthz); null when deciding on the event loop. */
  workers(): { readonly running: number; readonly ready: number } | null;
  close(): Promise<void>;
}

/** Decides on the calling thread. */
export function decideHere(index: FaqIndex, request: DecideRequest): TurnResult | null {
  switch (request.kind) {
    case 'turn':
      return decideTurn(index, request.conversation, { text: request.text, customer: request.customer, asksForHuman: request.asksForHuman });
    case 'choice':
      return decideChoice(index, request.conversation, request.faqId, request.customer);
  }
}

/** Every decision on this event loop: for the terminal, tests, and TACT_DECISION_WORKERS=0. */
export const DECIDE_HERE: Decider = {
  decide: (index, request) => Promise.resolve(decideHere(index, request)),
  workers: () => null,
  close: () => Promise.resolve(),
};

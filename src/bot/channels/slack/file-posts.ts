/**
 * Photos and PDFs in the agents' thread. A customer's file goes out as a
 * files.uploadV2 call through the outbox, which stores only which file it
 * is (conversation and id): the bytes are read from the conversation's
 * files when the call is made, so a restart or an outage loses nothing and
 * the outbox never holds a customer's photo. Files sent before the handoff
 * follow the transcript, the most recent few.
 */
import type { StoredEvent, StoredFile } from '../../store/store.js';
import type { OutboxCall } from './outbox.js';
import { escapeSlack } from './blocks.js';

/** Files sent before a handoff that follow its transcript into the thread. */
export const FILES_BEFORE_HANDOFF = 5;

/** What a files.uploadV2 call names: the file is read from the conversation's files when it is sent. */
export interface FileUploadArgs {
  readonly conversation: string;
  readonly file: string;
  readonly filename: string;
  readonly title: string;
  readonly initial_comment: string;
}

export function fileUploadCall(sessionId: string, channel: string, file: StoredFile, comment: string): OutboxCall {
  const args: FileUploadArgs = { conversation: sessionId, file: file.id, filename: file.name, title: file.name, initial_comment: comment };
  return { method: 'files.uploadV2', channel, args: { ...args }, threadOf: sessionId };
}

/** The customer's files in a conversation so far, the most recent `max`. */
export function customerFiles(events: readonly StoredEvent[], max = FILES_BEFORE_HANDOFF): StoredFile[] {
  const files = events.flatMap((e) => (e.kind === 'message' && e.from === 'customer' && e.file ? [e.file] : []));
  return files.slice(-max);
}

/** The comment a customer's file carries in the thread: their words with it, or what it is. */
export function fileComment(file: StoredFile, words: string): string {
  const what = file.kind === 'pdf' ? ':page_facing_up: The customer sent a PDF' : ':frame_with_picture: The customer sent a photo';
  return words === '' ? `${what}.` : `${what}: ${words}`;
}

/** The owner's private note when a file they shared could not go to the customer. */
export function fileNotSentText(name: string, why: string): string {
  return `:warning: ${escapeSlack(name)} was not sent to the customer: ${escapeSlack(why)}. Photos (JPEG, PNG, WebP) and PDFs up to 10 MB can be sent.`;
}

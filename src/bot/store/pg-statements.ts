/**
 * What the PostgreSQL store sends, on its schema's tables: the statements,
 * and the values of one append (the event's change to its conversation's
 * row, unfinished.ts's changeOf, worked out here so the statement applies it).
 */
import type { Literal } from './pg-literal.js';
import { eventTime, type AppendOptions, type StoredEvent } from './store.js';
import { changeOf } from './unfinished.js';

/** The statements the store runs, on its schema's tables. */
export function statements(schema: string) {
  const conversations = `"${schema}".tact_conversations`;
  const events = `"${schema}".tact_events`;
  return {
    // One statement per append: the conversation's row is made or locked and moved on (its last message number, the open
    // handoff, the turns not yet finished; unfinished.ts's change, applied here), and the event added with the number.
    // $1 id, $2 1 for a message else 0, $3 the handoff's new start, $4 whether it changes, $5/$6 the turn added/finished
    // (as JSON text: a message id may hold \u0000, which only JSON's escape can carry), $7 the event's time,
    // $8 the expected last number (null: any), $9 the kind, $10 the event as JSON without seq.
    append: `WITH up AS (
      INSERT INTO ${conversations} AS c (id, last_seq, handoff_at, pending_turns, last_at)
      SELECT $1, $2::int, $3::text, CASE WHEN $5::text IS NULL THEN '[]'::json ELSE json_build_array($5::json) END, $7::timestamptz
      WHERE $8::int IS NULL OR $8::int = 0 OR EXISTS (SELECT 1 FROM ${conversations} WHERE id = $1)
      ON CONFLICT (id) DO UPDATE SET
        last_seq = c.last_seq + $2::int,
        handoff_at = CASE WHEN $4::boolean THEN $3::text ELSE c.handoff_at END,
        pending_turns = CASE
          WHEN $5::text IS NOT NULL THEN (SELECT json_agg(e.v ORDER BY e.n) FROM (SELECT t.v, t.n FROM json_array_elements(c.pending_turns) WITH ORDINALITY AS t (v, n) UNION ALL SELECT $5::json, 9223372036854775807) AS e)
          WHEN $6::text IS NOT NULL THEN (SELECT coalesce(json_agg(t.v ORDER BY t.n), '[]'::json) FROM json_array_elements(c.pending_turns) WITH ORDINALITY AS t (v, n) WHERE t.v::text <> $6::text)
          ELSE c.pending_turns END,
        last_at = GREATEST(c.last_at, $7::timestamptz)
      WHERE $8::int IS NULL OR c.last_seq = $8::int
      RETURNING c.last_seq
    ), added AS (
      INSERT INTO ${events} (conversation, seq, kind, event)
      SELECT $1, CASE WHEN $2::int = 1 THEN up.last_seq END, $9::text,
        CASE WHEN $2::int = 1 THEN ('{"seq":' || up.last_seq || ',' || substr($10::text, 2))::json ELSE $10::json END
      FROM up
    )
    SELECT last_seq FROM up`,
    lockConversation: `SELECT id FROM ${conversations} WHERE id = $1 FOR UPDATE`,
    rewrite: `UPDATE ${events} SET event = $2::json WHERE id = $1`,
    lastSeq: `SELECT last_seq FROM ${conversations} WHERE id = $1`,
    read: `SELECT id, event FROM ${events} WHERE conversation = $1 ORDER BY id`,
    conversations: `SELECT id FROM ${conversations}`,
    // Rows appended to before migration 2 and never since have no time: listed, never left out.
    activeSince: `SELECT id FROM ${conversations} WHERE last_at >= $1 OR last_at IS NULL`,
    unfinished: `SELECT id, handoff_at, pending_turns FROM ${conversations} WHERE unfinished`,
  };
}

/** A conversation's append as the batch statement's values (see statements().append). */
export function appendValues(id: string, event: StoredEvent, opts: AppendOptions): Literal[] {
  const message = event.kind === 'message';
  // The store numbers messages: a number the caller set is dropped, and the statement writes the one it gives.
  const json = JSON.stringify(message ? { ...event, seq: undefined } : event);
  const { handoff, addTurn, finishTurn } = changeOf(event);
  const turn = (id: string | undefined): string | null => (id === undefined ? null : JSON.stringify(id));
  return [id, message ? 1 : 0, handoff?.to ?? null, handoff !== undefined, turn(addTurn), turn(finishTurn), eventTime(event, new Date()).toISOString(), opts.expectedSeq ?? null, event.kind, json];
}

/**
 * The `tact` command. Each subcommand lives in its own file; this one only
 * dispatches and turns known errors into clear messages and exit codes
 * (0 ok, 1 failure, 2 usage or input error).
 */
import { KbError } from '../kb/errors.js';
import { UsageError } from './usage.js';

const HELP = `tact — customer-service FAQ bot

Usage:
  tact ask [--kb PATH] [--json] "message"      decide one message
  tact start                                    the server: demo page, widget, chat socket, API (configured by environment variables)
  tact chat [--kb PATH] [--lang zh|en] [--name NAME] [--title mr|ms] [--data DIR] [--at TIME] [--explain]
                                                the bot in the terminal: FAQs, complaint intake, queue, survey;
                                                a number picks a choice, /end or Ctrl-D ends the chat (the survey follows),
                                                /join NAME, /agent TEXT, /resolve play the agent (/help lists them)
  tact eval --kb PATH --cases FILE.jsonl [--valid FILE.jsonl] [--policy off] [--json]
  tact kb import FILE.csv --out DIR [--force] [--name-zh NAME] [--name-en NAME]
                                                CSV → KB directory with a starter shop.yaml and escalation.yaml
  tact kb export DIR --out FILE.csv             KB directory → CSV
  tact kb check [DIR]                           validate a KB
  tact kb lint [DIR] [--json]                   errors and warnings an editor should fix
  tact kb test [DIR] [--json]                   run the KB's regression cases (DIR/tests.jsonl)
  tact kb add [DIR]                             add an FAQ, field by field (or from a pipe, one answer per line)
  tact kb remove ID [DIR]                       delete an FAQ (refused while tests.jsonl or cases.jsonl expects it)
  tact kb gaps [DIR] [--data DIR] [--since DATE] [--top N] [--json]   what customers asked that the KB could not answer
  tact store check [DATA_DIR]                   list damaged log records and conversation files (exit 1 if any)
  tact store repair [DATA_DIR]                  with the server stopped: salvage every intact record, set the rest aside
  tact staff add NAME --role editor|agent|admin   a person who signs in to /admin (password asked twice, or the first line of a pipe)
  tact staff list [--json] | remove NAME | passwd NAME | revoke NAME
                                                the staff accounts in the store ($TACT_DATABASE_URL, else --data DIR);
                                                revoke ends the person's sessions; with the embedded store, run it with the server stopped
  tact db migrate [--url URL] [--schema NAME]   apply the PostgreSQL store's missing migrations (URL default $TACT_DATABASE_URL)
  tact db import-lowdb DATA_DIR [--url URL] [--schema NAME]
                                                with the server stopped: copy every conversation of a data directory into PostgreSQL,
                                                message numbers kept; skips what an earlier run imported (run it again after an
                                                interruption), refuses what differs, verifies counts (exit 1 if any conversation differs)
  tact backup --out FILE [--data DIR | --url URL] [--schema NAME]
                                                while the server runs: a consistent snapshot of the store (conversations, files, the
                                                data directory's session secret) in one checksummed file, written whole or not at all
  tact restore FILE [--into DIR | --url URL] [--schema NAME] [--allow-empty]
                                                a backup into a new data directory or an empty database, all or nothing, verified by
                                                counts; refused over a live or non-empty store (an existing empty one: --allow-empty)
  tact customer forget ID|PHONE|EMAIL [--data DIR] [--by NAME]
                                                delete a customer's data: every conversation of theirs anonymised (text, contact
                                                details, files, pending tasks, Slack copies), counts kept, an audit line without it
  tact customer export ID|PHONE|EMAIL [--data DIR] [--out FILE] [--files] [--by NAME]
                                                everything held about a customer as JSON (stdout, or FILE written atomically);
                                                --files includes the photos and PDFs in base64

--kb accepts a KB directory, a .csv in the import format, or a .jsonl of {"text","label"}.
tact chat keeps its conversation in a temporary folder deleted on exit, or in --data DIR (kept); --at 2026-11-27T23:30+08:00
sets the clock the bot sees (service hours); --explain prints each decision as tact ask does.
Default KB: $TACT_KB_DIR, else ./knowledge-base. Default DATA_DIR: $TACT_DATA_DIR, else ./data.
backup and restore use $TACT_DATABASE_URL when it is set and neither --data/--into nor --url is given.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      // Each command is loaded when run: `tact ask` must not pay for the server's Botkit and Slack modules.
      case 'ask':
        return (await import('./ask.js')).askCommand(rest);
      case 'start':
        return await (await import('./start.js')).startCommand(rest);
      case 'chat':
        return await (await import('./chat.js')).chatCommand(rest);
      case 'eval':
        return (await import('./eval.js')).evalCommand(rest);
      case 'kb':
        return await (await import('./kb.js')).kbCommand(rest);
      case 'store':
        return await (await import('./store.js')).storeCommand(rest);
      case 'db':
        return await (await import('./db.js')).dbCommand(rest);
      case 'staff':
        return await (await import('./staff.js')).staffCommand(rest);
      case 'backup':
        return await (await import('./backup.js')).backupCommand(rest);
      case 'restore':
        return await (await import('./restore.js')).restoreCommand(rest);
      case 'customer':
        return await (await import('./customer.js')).customerCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${HELP}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`tact: ${err.message}\n\n${HELP}\n`);
      return 2;
    }
    if (err instanceof KbError) {
      process.stderr.write(`tact: the knowledge base was refused:\n${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

/**
 * `tact kb remove ID [DIR]`: deletes one FAQ from its category's file, like
 * Delete on the admin page: only the FAQ's lines go, the whole KB is
 * validated first, the change goes to the audit log, and an FAQ that a
 * regression or evaluation case still expects is refused (naming the cases).
 */
import { userInfo } from 'node:os';
import { EditError, removeFaq } from '../kb/edit.js';
import { ID_PATTERN } from '../kb/types.js';
import { parse, resolveKbPath, UsageError } from './usage.js';

const USAGE = 'usage: tact kb remove ID [DIR]';

export function kbRemove(args: readonly string[]): number {
  const { positionals } = parse(args, {});
  const [id, kbPath, extra] = positionals;
  if (!id || extra !== undefined) throw new UsageError(USAGE);
  if (!ID_PATTERN.test(id)) throw new UsageError(`"${id.slice(0, 100)}" is not an FAQ id (letters, digits, - . _); ${USAGE}`);
  const dir = resolveKbPath(kbPath);
  try {
    const faq = removeFaq(dir, id, null, `cli:${userInfo().username}`);
    process.stdout.write(`removed FAQ ${faq.id} from ${faq.source?.file ?? dir}; a running server stops answering with it within a second\n`);
    return 0;
  } catch (err) {
    if (err instanceof EditError) throw new UsageError(`${err.message} [${err.code}]`);
    throw err;
  }
}

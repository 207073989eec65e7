/**
 * Photos and PDFs of conversations for signed-in staff, as the transcript
 * on the Conversations page links them:
 *
 *   GET /admin/files/<conversation>/<id>[?thumb=1]
 */
import type { Attachments } from '../../pipeline/attachments.js';
import { sendStoredFile } from '../file-response.js';
import { AdminError, type AdminRequest, type Route } from './admin-http.js';

export function fileRoutes(files: Pick<Attachments, 'find' | 'read'>): Route[] {
  return [{ method: 'GET', need: 'desk', path: /^\/admin\/files\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{22})$/, handle: (r) => serve(files, r) }];
}

async function serve(files: Pick<Attachments, 'find' | 'read'>, r: AdminRequest): Promise<void> {
  const [conversation = '', id = ''] = r.params;
  const thumb = r.url.searchParams.get('thumb') === '1';
  const meta = await files.find(conversation, id);
  const bytes = meta ? await files.read(conversation, id, thumb ? 'thumb' : 'file') : null;
  if (!meta || !bytes) throw new AdminError(404, 'not_found', 'No such file in this conversation.');
  sendStoredFile(r.res, meta, bytes, thumb);
}

/**
 * Mocha root hooks for the whole suite: builds the tests make (and the
 * servers and CLI runs they spawn, which inherit the environment) are cached
 * in a temporary folder removed at the end, never in the user's ~/.cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cacheDir = mkdtempSync(join(tmpdir(), 'tact-test-cache-'));
process.env['TACT_CACHE_DIR'] = cacheDir;

export const mochaHooks = {
  afterAll(): void {
    rmSync(cacheDir, { recursive: true, force: true });
  },
};

/**
 * Debian's Chromium for the browser suites. Locally, a machine without it
 * skips them with a clear SKIPPED line; CI sets TACT_REQUIRE_BROWSER=1, so
 * there a missing browser fails the run instead of hiding the suites.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Launches Chromium, or skips the calling suite (from a mocha `before`) when it is absent and not required. */
export async function launchChromium(ctx: Mocha.Context, suite: string): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    if (process.env['TACT_REQUIRE_BROWSER'] === '1') throw new Error(`${suite} need Chromium at ${CHROMIUM}, and TACT_REQUIRE_BROWSER=1 forbids skipping them`);
    console.log(`SKIPPED: ${suite} need Chromium at ${CHROMIUM} (apt-get install chromium)`);
    ctx.skip();
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    // As root in a container Chromium needs --no-sandbox; the rest keep it off this machine's closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

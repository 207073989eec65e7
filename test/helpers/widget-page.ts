/** The demo page's widget in Chromium, as the browser tests drive it: what it shows, waiting for it, typing into it. */
import type { Page } from 'playwright-core';

export class WidgetPage {
  constructor(readonly page: Page) {}

  /** Every message bubble's text, oldest first. */
  texts(): Promise<string[]> {
    return this.page.locator('tact-chat .log .text').allTextContents();
  }

  /** The header's status line ('' while hidden). */
  async header(): Promise<string> {
    const status = this.page.locator('tact-chat .status');
    return (await status.isVisible()) ? await status.innerText() : '';
  }

  /** Polls until `check` holds; the error names what was awaited and shows the conversation. */
  async waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; shown: ${JSON.stringify(await this.texts()).slice(-1500)}; header: ${await this.header()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  waitForText(pattern: RegExp, what: string, timeoutMs?: number): Promise<void> {
    return this.waitFor(`a message ${what} (${pattern})`, async () => (await this.texts()).some((t) => pattern.test(t)), timeoutMs);
  }

  /** Types a customer message into the chat's input and sends it with Enter. */
  async type(text: string): Promise<void> {
    const input = this.page.locator('tact-chat .compose textarea');
    await input.fill(text);
    await input.press('Enter');
  }
}

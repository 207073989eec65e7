/**
 * What the host page shows of new messages while the chat panel is closed:
 * the count in the tab's title ("(2) Tact 商城"), put back as it was once
 * the panel opens, and, when the page asks for it (data-sound="on"), a short
 * soft chime. Browsers allow sound only after the customer has interacted
 * with the page, so the chime may stay silent; nothing depends on it.
 */
const COUNT_PREFIX = /^\(\d+\) /;

export class PageSignals {
  /** The page's own title while ours is shown, else null. */
  private base: string | null = null;

  constructor(private readonly sound: boolean) {}

  unread(count: number): void {
    if (count === 0) {
      if (this.base !== null) document.title = this.base;
      this.base = null;
      return;
    }
    this.base ??= document.title.replace(COUNT_PREFIX, '');
    document.title = `(${count}) ${this.base}`;
  }

  chime(): void {
    if (!this.sound || typeof AudioContext === 'undefined') return;
    try {
      const ctx = new AudioContext();
      const tone = ctx.createOscillator();
      const gain = ctx.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.06, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.3);
      tone.connect(gain).connect(ctx.destination);
      tone.onended = () => void ctx.close();
      tone.start();
      tone.stop(ctx.currentTime + 0.3);
    } catch {
      // No audio here (a policy, a headless browser): the title still counts.
    }
  }
}

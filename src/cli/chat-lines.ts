/**
 * The keyboard side of `tact chat`: lines in, output out, for a person at
 * a terminal or for a pipe.
 *
 * At a terminal, readline edits the line under a "> " prompt. Ctrl-D on an
 * empty line is the end of input once (the chat ends and the survey runs);
 * reading goes on afterwards, so a second Ctrl-D can still be read. Ctrl-C
 * interrupts at once. Output that arrives while a line is being typed (a
 * queue reminder) is written above it, and the prompt with the half-typed
 * line is drawn again.
 *
 * From a pipe, lines are read in order as they come and the end of the pipe
 * is the end of input; nothing is prompted.
 */
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';

export type Read = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'eof' };

export interface Keyboard {
  /** The next line, or the end of input. */
  next(): Promise<Read>;
  /** Writes output without breaking the line being typed. */
  show(text: string): void;
  close(): void;
}

export function keyboard(interactive: boolean, onInterrupt: () => void): Keyboard {
  return interactive ? new Terminal(onInterrupt) : new Pipe();
}

class Pipe implements Keyboard {
  private readonly rl = createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  private readonly lines = this.rl[Symbol.asyncIterator]();
  private done = false;

  async next(): Promise<Read> {
    if (this.done) return { kind: 'eof' };
    const r = await this.lines.next();
    if (r.done) this.done = true;
    return r.done ? { kind: 'eof' } : { kind: 'line', text: r.value };
  }

  show(text: string): void {
    process.stdout.write(text);
  }

  close(): void {
    this.rl.close();
  }
}

class Terminal implements Keyboard {
  private rl: Interface | null = null;
  private readonly typed: Read[] = [];
  private waiting: ((r: Read) => void) | null = null;

  constructor(private readonly onInterrupt: () => void) {}

  next(): Promise<Read> {
    const early = this.typed.shift();
    if (early) return Promise.resolve(early);
    const rl = this.rl ?? this.open();
    rl.prompt();
    return new Promise((resolve) => (this.waiting = resolve));
  }

  show(text: string): void {
    if (!this.waiting || !this.rl) return void process.stdout.write(text);
    clearLine(process.stdout, 0);
    cursorTo(process.stdout, 0);
    process.stdout.write(text);
    this.rl.prompt(true);
  }

  close(): void {
    const rl = this.rl;
    this.rl = null;
    rl?.close();
  }

  private open(): Interface {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true, prompt: '> ' });
    rl.on('line', (text) => this.take({ kind: 'line', text }));
    rl.on('close', () => {
      // Ctrl-D on an empty line (readline closes itself), not our own close().
      if (this.rl !== rl) return;
      this.rl = null;
      // The cursor is still after the prompt.
      process.stdout.write('\n');
      this.take({ kind: 'eof' });
    });
    rl.on('SIGINT', () => {
      this.close();
      this.onInterrupt();
    });
    this.rl = rl;
    return rl;
  }

  private take(read: Read): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) waiting(read);
    else this.typed.push(read);
  }
}

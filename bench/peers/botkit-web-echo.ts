/**
 * The socket section's peer: Botkit with botbuilder-adapter-web, as its
 * documentation sets it up, and a bot that echoes every message. It has no
 * matching, no decision and no storage, so it is the floor a Botkit web chat
 * server costs per message on this machine.
 */
import type { AddressInfo } from 'node:net';
import { Botkit, type BotkitMessage, type BotWorker } from 'botkit';
import { WebAdapter } from 'botbuilder-adapter-web';

export interface EchoServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The part of the adapter's ws (v7) server used here; the adapter types it as `any`. */
interface SocketServer {
  readonly clients: Set<{ terminate(): void }>;
  address(): AddressInfo | string | null;
  once(event: 'listening', listener: () => void): void;
  close(done: () => void): void;
}

export async function startBotkitEcho(): Promise<EchoServer> {
  // With its own port the adapter's ws server listens by itself, so Botkit's Express webserver (fixed on $PORT or 3000) stays off.
  const adapter = new WebAdapter({ port: 0, host: '127.0.0.1' });
  const controller = new Botkit({ adapter, disable_webserver: true, disable_console: true });
  controller.on('message', async (bot: BotWorker, message: BotkitMessage) => {
    await bot.reply(message, message.text ?? '');
  });
  // The adapter creates its server in its own ready handler, which Botkit registered before this one.
  await new Promise<void>((resolve) => controller.ready(() => resolve()));
  const wss: SocketServer = adapter.wss;
  if (wss.address() === null) await new Promise<void>((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    close: async () => {
      await controller.shutdown();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(resolve));
    },
  };
}

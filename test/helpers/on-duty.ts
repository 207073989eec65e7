/** Puts an agent on duty in a data directory before a server process starts there, as the Slack Home tab or the admin page's toggle would. */
import { openLowdbStore } from '../../src/bot/store/lowdb-store.js';
import { DUTY_LOG } from '../../src/bot/pipeline/presence.js';

export async function declareOnDuty(dataDir: string, agent = 'admin:desk'): Promise<void> {
  const store = await openLowdbStore(dataDir);
  try {
    await store.append(DUTY_LOG, { kind: 'duty', at: new Date().toISOString(), agent, on: true });
  } finally {
    await store.close();
  }
}

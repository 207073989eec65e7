import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/bot/config.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const UNIT = join(ROOT, 'deploy', 'systemd', 'tact.service');
const ENV_EXAMPLE = join(ROOT, 'deploy', 'systemd', 'tact.env.example');
const ANALYZE = '/usr/bin/systemd-analyze';

/** A unit file's [Service] keys, each with every value it is given (a key may repeat). */
function serviceKeys(text: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1] as string;
      continue;
    }
    const eq = line.indexOf('=');
    if (section !== 'Service' || eq < 0) continue;
    const key = line.slice(0, eq);
    keys.set(key, [...(keys.get(key) ?? []), line.slice(eq + 1)]);
  }
  return keys;
}

/** The variables the unit's Environment= lines set. */
function environment(keys: Map<string, string[]>): Map<string, string> {
  return new Map((keys.get('Environment') ?? []).flatMap((line) => line.split(/\s+/)).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

function analyze(args: readonly string[]): { status: number | null; out: string } {
  if (!existsSync(ANALYZE)) throw new Error(`the systemd unit's test needs ${ANALYZE} (apt-get install systemd); .ci/run installs it`);
  const run = spawnSync(ANALYZE, args, { encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('the systemd unit (deploy/systemd/tact.service)', () => {
  const text = readFileSync(UNIT, 'utf8');
  const keys = serviceKeys(text);
  const one = (key: string): string | undefined => keys.get(key)?.at(-1);

  it('passes systemd-analyze verify without a warning', () => {
    // The unit names Debian's /usr/bin/node; a machine whose node lives elsewhere checks the same unit with its own.
    const dir = mkdtempSync(join(tmpdir(), 'tact-unit-'));
    try {
      const unit = join(dir, 'tact.service');
      writeFileSync(unit, text.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
      const verified = analyze(['verify', unit]);
      assert.equal(verified.status, 0, verified.out);
      assert.equal(verified.out.trim(), '', 'no warning either (an unknown or misplaced key is only a warning)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is rated OK (exposure 2.0 or less) by systemd-analyze security', () => {
    const rated = analyze(['security', '--offline=true', '--threshold=20', '--no-pager', UNIT]);
    assert.equal(rated.status, 0, rated.out);
    assert.match(rated.out, /Overall exposure level for tact\.service: [0-1]\.\d OK/);
  });

  it('runs `tact start` from /opt/tact as its own user, with the environment file', () => {
    const bin = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['tact'];
    assert.equal(bin, 'bin/tact.js');
    assert.equal(one('ExecStart'), '/usr/bin/node /opt/tact/bin/tact.js start');
    assert.equal(one('WorkingDirectory'), '/opt/tact');
    assert.equal(one('User'), 'tact');
    assert.equal(one('Group'), 'tact');
    assert.equal(one('EnvironmentFile'), '/etc/tact/tact.env');
  });

  it('can write only under /var/lib/tact, where the data, the KB and the cache are', () => {
    assert.equal(one('ProtectSystem'), 'strict');
    assert.deepEqual(keys.get('ReadWritePaths'), ['/var/lib/tact']);
    assert.equal(one('StateDirectory'), 'tact', 'systemd creates it, owned by tact');
    const env = environment(keys);
    for (const variable of ['TACT_DATA_DIR', 'TACT_KB_DIR', 'TACT_CACHE_DIR']) assert.match(env.get(variable) ?? '', /^\/var\/lib\/tact\/[a-z-]+$/, variable);
    assert.equal(env.get('TACT_DATA_DIR'), '/var/lib/tact/data');
    assert.ok(readFileSync(join(ROOT, 'README.md'), 'utf8').includes('/var/lib/tact/data'), 'the README documents the same data directory');
  });

  it('has the hardening keys, and no MemoryDenyWriteExecute (V8 aborts under it)', () => {
    const expected: Record<string, string> = {
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      PrivateDevices: 'yes',
      NoNewPrivileges: 'yes',
      CapabilityBoundingSet: '',
      RestrictAddressFamilies: 'AF_UNIX AF_INET AF_INET6 AF_NETLINK',
      RestrictNamespaces: 'yes',
      RestrictSUIDSGID: 'yes',
      LockPersonality: 'yes',
      SystemCallArchitectures: 'native',
      SystemCallErrorNumber: 'EPERM',
      UMask: '0077',
    };
    for (const [key, value] of Object.entries(expected)) assert.equal(one(key), value, key);
    assert.equal(keys.get('SystemCallFilter')?.[0], '@system-service');
    assert.equal(keys.has('MemoryDenyWriteExecute'), false);
  });

  it('restarts on a crash but not on what the operator must fix, and stops with SIGTERM within 30 s', () => {
    assert.equal(one('Restart'), 'on-failure');
    assert.equal(one('RestartPreventExitStatus'), '2', 'tact start exits 2 for a bad configuration, a held data directory or a taken port');
    assert.equal(one('KillSignal'), 'SIGTERM');
    assert.equal(one('TimeoutStopSec'), '30s', "longer than a hung decision worker's 10 s");
  });

  it('starts with the example environment file once its secrets are filled in, writing only under /var/lib/tact', () => {
    // EnvironmentFile= syntax as the example uses it: KEY=VALUE lines, # comments; it overrides the unit's Environment=.
    const file = new Map(
      readFileSync(ENV_EXAMPLE, 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const secrets = [...file].filter(([, v]) => v === '').map(([k]) => k);
    assert.deepEqual(secrets, ['TACT_SESSION_SECRET', 'TACT_ADMIN_TOKEN', 'TACT_METRICS_TOKEN', 'TACT_API_TOKEN'], 'the README fills in these with openssl rand -hex 32');
    const env = { ...Object.fromEntries(environment(keys)), ...Object.fromEntries(file), ...Object.fromEntries(secrets.map((k) => [k, 'f'.repeat(64)])) };
    const config = loadConfig(env, '/opt/tact');
    assert.deepEqual(config.trustedProxies, [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' }]);
    assert.equal(config.host, '127.0.0.1', 'only nginx reaches it');
    for (const dir of [config.dataDir, config.kbDir, config.cacheDir]) assert.match(dir ?? '', /^\/var\/lib\/tact\//);
  });
});

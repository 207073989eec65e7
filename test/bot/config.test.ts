import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from '../../src/bot/config.js';

describe('loadConfig', () => {
  const secret = 'a'.repeat(32);

  it('gives working defaults for a fresh machine', () => {
    const c = loadConfig({}, '/srv/tact');
    assert.equal(c.port, 3000);
    assert.equal(c.kbDir, '/srv/tact/knowledge-base');
    assert.equal(c.dataDir, '/srv/tact/data');
    assert.equal(c.apiToken, null);
    assert.deepEqual(c.allowedOrigins, []);
    assert.equal(c.logLevel, 'info');
  });

  it('reads every variable', () => {
    const c = loadConfig(
      { PORT: '8080', HOST: '127.0.0.1', TACT_KB_DIR: 'kb', TACT_DATA_DIR: '/var/tact', TACT_API_TOKEN: secret, TACT_ALLOWED_ORIGINS: 'https://shop.example.com, http://localhost:5173', TACT_SESSION_SECRET: secret, TACT_IDENTITY_SECRET: secret, LOG_LEVEL: 'debug' },
      '/srv',
    );
    assert.equal(c.port, 8080);
    assert.equal(c.kbDir, '/srv/kb');
    assert.equal(c.dataDir, '/var/tact');
    assert.deepEqual(c.allowedOrigins, ['https://shop.example.com', 'http://localhost:5173']);
    assert.equal(c.logLevel, 'debug');
  });

  it('reports every bad variable at once, naming it and what it needs', () => {
    assert.throws(
      () => loadConfig({ PORT: '99999', TACT_ALLOWED_ORIGINS: 'shop.example.com,https://ok.example.com/path', TACT_API_TOKEN: 'short', LOG_LEVEL: 'loud' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.problems.length === 5 &&
        /PORT: must be a port number/.test(e.message) &&
        /TACT_ALLOWED_ORIGINS: "shop\.example\.com"/.test(e.message) &&
        /TACT_ALLOWED_ORIGINS: "https:\/\/ok\.example\.com\/path"/.test(e.message) &&
        /TACT_API_TOKEN: must be at least 32 characters/.test(e.message) &&
        /LOG_LEVEL: must be one of/.test(e.message),
    );
  });

  it('treats empty or blank variables as unset and cuts hostile values short in messages', () => {
    assert.equal(loadConfig({ PORT: '  ', TACT_API_TOKEN: '' }).port, 3000);
    assert.throws(() => loadConfig({ PORT: `1${'9'.repeat(10_000)}` }), (e: unknown) => e instanceof ConfigError && e.message.length < 300);
  });

  describe('abuse limits and monitoring', () => {
    it('trusts no proxy and leaves /metrics open by default', () => {
      const c = loadConfig({});
      assert.deepEqual(c.trustedProxies, []);
      assert.equal(c.metricsToken, null);
    });

    it('reads the trusted proxies as addresses and CIDR ranges, and a token for /metrics', () => {
      assert.deepEqual(loadConfig({ TACT_TRUSTED_PROXIES: ' 127.0.0.1, 10.0.0.0/8,fd00::/8 ,' }).trustedProxies, [
        { address: '127.0.0.1', prefix: 32, family: 'ipv4' },
        { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
        { address: 'fd00::', prefix: 8, family: 'ipv6' },
      ]);
      assert.equal(loadConfig({ TACT_METRICS_TOKEN: secret }).metricsToken, secret);
    });

    it('names each bad trusted proxy entry, and refuses the old proxy count naming its replacement', () => {
      const problems = (value: string): readonly string[] => {
        try {
          loadConfig({ TACT_TRUSTED_PROXIES: value });
        } catch (e) {
          if (e instanceof ConfigError) return e.problems;
        }
        return [];
      };
      assert.deepEqual(problems('proxy.internal'), ['TACT_TRUSTED_PROXIES: "proxy.internal" is not an IP address or CIDR range such as 127.0.0.1, 10.0.0.0/8 or fd00::/8 (host names are not looked up)']);
      for (const bad of ['10.0.0.0/33', '10.0.0.0/x', 'fd00::/129', '10.0.0.0/8/8', '10.0.0.256', '1.2.3.4/-1']) assert.equal(problems(`127.0.0.1,${bad}`).length, 1, bad);
      assert.match(problems('0.0.0.0/0')[0] ?? '', /TACT_TRUSTED_PROXIES: "0.0.0.0\/0" trusts every address/);
      assert.match(problems('::/0')[0] ?? '', /trusts every address/);
      assert.deepEqual(problems('a,b').length, 2, 'every bad entry at once');
      assert.match(problems(`${'1.2.3.4,'.repeat(1000)}`)[0] ?? '', /TACT_TRUSTED_PROXIES: is 8000 characters long/, 'a hostile long value is refused whole');
      assert.match(problems(Array.from({ length: 65 }, (_, i) => `10.0.0.${i}`).join(','))[0] ?? '', /lists 65 entries; at most 64/);
      assert.ok(problems(`${'x'.repeat(5000)}`).every((p) => p.length < 200), 'messages stay short');
      for (const old of ['1', '0']) {
        assert.throws(() => loadConfig({ TACT_TRUST_PROXY: old }), (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && /^TACT_TRUST_PROXY: is replaced by TACT_TRUSTED_PROXIES.*remove TACT_TRUST_PROXY$/.test(e.problems[0] ?? ''), old);
      }
    });

    it('names a short metrics token', () => {
      assert.throws(() => loadConfig({ TACT_METRICS_TOKEN: 'short' }), /TACT_METRICS_TOKEN: must be at least 32 characters/);
    });

    it('decides in worker threads, one per core but one by default, and names a bad count', () => {
      assert.equal(loadConfig({}).decisionWorkers, Math.max(0, Math.min(4, availableParallelism() - 1)));
      assert.equal(loadConfig({ TACT_DECISION_WORKERS: '0' }).decisionWorkers, 0, 'on the event loop');
      assert.equal(loadConfig({ TACT_DECISION_WORKERS: '3' }).decisionWorkers, 3);
      for (const bad of ['-1', 'two', '1.5', '17', '100']) {
        assert.throws(() => loadConfig({ TACT_DECISION_WORKERS: bad }), (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && e.message.includes(`TACT_DECISION_WORKERS: must be a whole number of worker threads from 0 (decide on the main thread) to 16, not ${JSON.stringify(bad)}`), bad);
      }
    });

    it('reads how often the store folds its log, and names a bad value', () => {
      assert.equal(loadConfig({}).foldEvery, null, 'unset: the store folds at its own default');
      assert.equal(loadConfig({ TACT_STORE_FOLD_EVERY: '200' }).foldEvery, 200);
      for (const bad of ['0', '9', 'many', '1e4', '-50', '2000000', '5000.5']) {
        assert.throws(() => loadConfig({ TACT_STORE_FOLD_EVERY: bad }), (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && e.message.includes(`TACT_STORE_FOLD_EVERY: must be a whole number of log records from 10 to 1000000, not ${JSON.stringify(bad)}`), bad);
      }
    });

    it('keeps conversations a year unless told otherwise, off keeps them for ever, and names a bad retention', () => {
      assert.equal(loadConfig({}).retentionDays, 365);
      assert.equal(loadConfig({ TACT_RETENTION_DAYS: '30' }).retentionDays, 30);
      assert.equal(loadConfig({ TACT_RETENTION_DAYS: 'OFF' }).retentionDays, null);
      for (const bad of ['0', '-1', '6', '36501', '1.5', 'forever', '1e3', '30 days', '9'.repeat(5000), '30;rm -rf /']) {
        assert.throws(
          () => loadConfig({ TACT_RETENTION_DAYS: bad }),
          (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && e.message.includes('TACT_RETENTION_DAYS: must be a whole number of days from 7 to 36500, or off') && !e.message.includes('9'.repeat(100)),
          bad.slice(0, 20),
        );
      }
    });
  });

  describe('several instances', () => {
    it('keeps the embedded store unless a PostgreSQL URL is given, and then needs the shared session secret', () => {
      assert.equal(loadConfig({}).databaseUrl, null);
      const url = 'postgres://tact:pw@db.internal:5432/tact';
      assert.equal(loadConfig({ TACT_DATABASE_URL: url, TACT_SESSION_SECRET: secret }).databaseUrl, url);
      assert.throws(() => loadConfig({ TACT_DATABASE_URL: url }), (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && /TACT_SESSION_SECRET: is required with TACT_DATABASE_URL/.test(e.message));
    });

    it('joins instances through Redis only when they share a database, with a key prefix of their own', () => {
      const db = 'postgres://tact@db.internal/tact';
      assert.equal(loadConfig({}).redis, null);
      assert.deepEqual(loadConfig({ TACT_DATABASE_URL: db, TACT_SESSION_SECRET: secret, TACT_REDIS_URL: 'redis://cache:6379/2' }).redis, { url: 'redis://cache:6379/2', prefix: 'tact:' });
      assert.equal(loadConfig({ TACT_DATABASE_URL: db, TACT_SESSION_SECRET: secret, TACT_REDIS_URL: 'rediss://cache:6380', TACT_REDIS_PREFIX: 'shop1:' }).redis?.prefix, 'shop1:');
      assert.throws(() => loadConfig({ TACT_REDIS_URL: 'redis://cache:6379' }), /TACT_REDIS_URL: needs TACT_DATABASE_URL too/);
      assert.throws(() => loadConfig({ TACT_DATABASE_URL: db, TACT_SESSION_SECRET: secret, TACT_REDIS_URL: 'http://:hunter2@cache' }), (e: unknown) => e instanceof ConfigError && e.message.includes('TACT_REDIS_URL: must be a Redis URL') && !e.message.includes('hunter2'));
      assert.throws(() => loadConfig({ TACT_DATABASE_URL: db, TACT_SESSION_SECRET: secret, TACT_REDIS_URL: 'redis://cache', TACT_REDIS_PREFIX: 'a b{}' }), /TACT_REDIS_PREFIX: must be/);
    });

    it('names a URL that is not PostgreSQL without showing its password', () => {
      for (const bad of ['mysql://root:hunter2@db/tact', 'postgres://', 'db.internal:5432', 'redis://:hunter2@cache:6379']) {
        assert.throws(
          () => loadConfig({ TACT_DATABASE_URL: bad, TACT_SESSION_SECRET: secret }),
          (e: unknown) => e instanceof ConfigError && e.message.includes('TACT_DATABASE_URL: the database URL') && !e.message.includes('hunter2'),
          bad,
        );
      }
    });
  });

  describe('Slack settings', () => {
    it('leaves agent assist in Slack off without a bot token', () => {
      assert.equal(loadConfig({}).slack, null);
    });

    it('runs in Socket Mode with an app token, and in HTTP mode with a signing secret', () => {
      assert.equal(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.mode, 'socket');
      const http = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'shh', SLACK_API_URL: 'http://127.0.0.1:9/api' }).slack;
      assert.equal(http?.mode, 'http');
      assert.equal(http?.apiUrl, 'http://127.0.0.1:9/api/');
      assert.equal(http?.toneCoaching, 'warn');
      assert.equal(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', TACT_TONE_COACHING: 'hold' }).slack?.toneCoaching, 'hold');
      assert.throws(() => loadConfig({ TACT_TONE_COACHING: 'shout' }), /TACT_TONE_COACHING: must be warn or hold/);
    });

    it('refuses HTTP mode without a signing secret, and tokens of the wrong kind', () => {
      assert.throws(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }), /SLACK_SIGNING_SECRET: is required in HTTP mode/);
      assert.throws(() => loadConfig({ SLACK_SIGNING_SECRET: 'shh' }), /SLACK_BOT_TOKEN: is required/);
      assert.throws(
        () => loadConfig({ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_APP_TOKEN: 'xoxb-2', SLACK_API_URL: 'ftp://x' }),
        (e: unknown) => e instanceof ConfigError && e.problems.length === 3,
      );
    });
  });

  it('reads the e-mail settings, and names each that is wrong or missing its partner', () => {
    const mail = loadConfig({ TACT_SMTP_URL: 'smtp://mailer:secret@smtp.shop.example:587', TACT_MAIL_FROM: 'Tact Shop <service@shop.example>', TACT_MAIL_REPLY_TO: 'chat@reply.shop.example', TACT_SMTP_INBOUND_PORT: '2525' }).mail;
    assert.deepEqual(mail, { smtpUrl: 'smtp://mailer:secret@smtp.shop.example:587', from: 'Tact Shop <service@shop.example>', replyTo: 'chat@reply.shop.example', inboundPort: 2525 });
    assert.equal(loadConfig({}).mail, null);
    const problems = (env: Record<string, string>): string => {
      try {
        loadConfig(env);
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    };
    assert.match(problems({ TACT_MAIL_FROM: 'a@b.example' }), /TACT_MAIL_FROM: needs TACT_SMTP_URL/);
    assert.match(problems({ TACT_SMTP_URL: 'http://smtp.example' }), /TACT_SMTP_URL: must be smtp:/);
    assert.match(problems({ TACT_SMTP_URL: 'smtp://smtp.example' }), /TACT_MAIL_FROM: is required/);
    assert.match(problems({ TACT_SMTP_URL: 'smtp://smtp.example', TACT_MAIL_FROM: 'not an address\r\nBcc: x@y.example' }), /TACT_MAIL_FROM/);
    assert.match(problems({ TACT_SMTP_URL: 'smtp://smtp.example', TACT_MAIL_FROM: 'a@b.example', TACT_SMTP_INBOUND_PORT: '70000', TACT_MAIL_REPLY_TO: 'x' }), /TACT_MAIL_REPLY_TO: must be a bare address[\s\S]*TACT_SMTP_INBOUND_PORT: must be a port/);
    assert.match(problems({ TACT_SMTP_URL: 'smtp://smtp.example', TACT_MAIL_FROM: 'a@b.example', TACT_SMTP_INBOUND_PORT: '2525' }), /TACT_SMTP_INBOUND_PORT: needs TACT_MAIL_REPLY_TO/);
  });
});

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
      assert.equal(c.trustProxy, 0);
      assert.equal(c.metricsToken, null);
    });

    it('reads how many reverse proxies stand in front, and a token for /metrics', () => {
      assert.equal(loadConfig({ TACT_TRUST_PROXY: '1' }).trustProxy, 1);
      assert.equal(loadConfig({ TACT_TRUST_PROXY: '2' }).trustProxy, 2);
      assert.equal(loadConfig({ TACT_TRUST_PROXY: '0' }).trustProxy, 0);
      assert.equal(loadConfig({ TACT_METRICS_TOKEN: secret }).metricsToken, secret);
    });

    it('names a bad proxy count or a short metrics token', () => {
      for (const bad of ['yes', 'true', '-1', '1.5', '11', '0x1']) {
        assert.throws(() => loadConfig({ TACT_TRUST_PROXY: bad }), (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && e.message.includes(`TACT_TRUST_PROXY: must be the number of reverse proxies in front of Tact (0 to 10), not ${JSON.stringify(bad)}`), bad);
      }
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
      for (const bad of ['0', '-1', '36501', '1.5', 'forever', '1e3', '30 days', '9'.repeat(5000), '30;rm -rf /']) {
        assert.throws(
          () => loadConfig({ TACT_RETENTION_DAYS: bad }),
          (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && e.message.includes('TACT_RETENTION_DAYS: must be a whole number of days from 1 to 36500, or off') && !e.message.includes('9'.repeat(100)),
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

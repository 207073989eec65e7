/**
 * A self-signed certificate for localhost and 127.0.0.1, made by openssl
 * (the command the README's TLS test runs) in a folder of its own, for
 * nginx in front of test servers. Clients trust it by its PEM (`ca`), or a
 * browser context ignores certificate errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Certificate {
  readonly certFile: string;
  readonly keyFile: string;
  /** The certificate itself, for a client's `ca`. */
  readonly pem: string;
}

export function selfSignedCertificate(dir = mkdtempSync(join(tmpdir(), 'tact-tls-'))): Certificate {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  if (made.error) throw new Error(`the TLS tests need openssl (apt-get install openssl; .ci/run installs it): ${made.error.message}`);
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  return { certFile, keyFile, pem: readFileSync(certFile, 'utf8') };
}

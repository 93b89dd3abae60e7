import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate and key as PEM files. */
export interface CertFiles {
  cert: string;
  key: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * A private CA, as a hospital's TLS-inspecting proxy or a hub's own CA has: valid for 30 days, or
 * (`expired`) valid only in 2020, made with `openssl ca`, which alone takes explicit dates.
 */
export function makeCa(dir: string, name: string, opts: { expired?: boolean } = {}): CertFiles {
  const base = join(dir, name);
  mkdirSync(`${base}-db/new`, { recursive: true });
  const key = `${base}.key`;
  const cert = `${base}.crt`;
  if (!opts.expired) {
    openssl(
      [
        'req',
        '-x509',
        ...EC,
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '30',
        '-subj',
        `/CN=${name}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
    return { cert, key };
  }
  writeFileSync(`${base}-db/index.txt`, '');
  writeFileSync(`${base}-db/serial`, '01\n');
  writeFileSync(
    `${base}.cnf`,
    `[ca]\ndefault_ca=d\n[d]\ndir=${base}-db\ndatabase=$dir/index.txt\nnew_certs_dir=$dir/new\nserial=$dir/serial\ndefault_md=sha256\npolicy=p\nx509_extensions=x\n[p]\ncommonName=supplied\n[x]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n`,
  );
  openssl(['req', '-new', ...EC, '-keyout', key, '-out', `${base}.csr`, '-subj', `/CN=${name}`], dir);
  openssl(
    [
      'ca',
      '-batch',
      '-config',
      `${base}.cnf`,
      '-selfsign',
      '-keyfile',
      key,
      '-in',
      `${base}.csr`,
      '-out',
      cert,
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20210101000000Z',
    ],
    dir,
  );
  return { cert, key };
}

/** A server certificate for 127.0.0.1 signed by `ca`. */
export function makeServerCert(dir: string, name: string, ca: CertFiles): CertFiles {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  openssl(['req', '-new', ...EC, '-keyout', key, '-out', `${cert}.csr`, '-subj', '/CN=127.0.0.1'], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${cert}.csr`,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-out',
      cert,
      '-days',
      '30',
      '-extfile',
      ext,
    ],
    dir,
  );
  return { cert, key };
}

import { type ChildProcess, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';
import { makeS3Client, makeSqsClient } from '../../functions/adapters/aws-clients.ts';

// With no instance metadata service to find, the SDK must never probe 169.254.169.254 (not
// loopback, forbidden here). It reads this when resolving credentials, which happens after import.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const REGION = 'us-east-1';
const SQS_ACCOUNT = '000000000000';
/** s3rver checks signatures against its own fixed key pair; any other pair gets SignatureDoesNotMatch. */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const SQS_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface SqsServer {
  /** `http://127.0.0.1:<port>`; queue URLs are `<endpoint>/000000000000/<name>`. */
  endpoint: string;
  client(): SQSClient;
  createQueue(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startSqsServer(): Promise<SqsServer> {
  const server = await createSqsServer({ port: 0, hostname: '127.0.0.1', accountId: SQS_ACCOUNT });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: SQSClient[] = [];
  const client = () => {
    const made = makeSqsClient({ endpoint, region: REGION, credentials: SQS_CREDENTIALS });
    clients.push(made);
    return made;
  };
  const admin = client();
  return {
    endpoint,
    client,
    async createQueue(name) {
      const { QueueUrl } = await admin.send(new CreateQueueCommand({ QueueName: name }));
      if (!QueueUrl) throw new Error(`no URL for queue ${name}`);
      return QueueUrl;
    },
    async close() {
      for (const made of clients) made.destroy();
      // Long polls still waiting would hold close() open for up to 20 s.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface S3Server {
  endpoint: string;
  bucket: string;
  client(): S3Client;
  close(): Promise<void>;
}

/**
 * s3rver runs in a child Node started with --openssl-legacy-provider: its ListObjectsV2
 * continuation tokens are DES-encrypted, which OpenSSL 3 refuses, so any truncated listing is a
 * 500 in-process. The child exits when its IPC channel closes, so it cannot outlive this process.
 */
const S3RVER_CHILD = `
const S3rver = require(process.env.S3RVER_MODULE);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.env.S3RVER_DIR,
  configureBuckets: [{ name: process.env.S3RVER_BUCKET }] });
server.run().then((address) => process.send({ port: address.port }), (err) => { console.error(err); process.exit(1); });
process.on('disconnect', () => server.close().finally(() => process.exit(0)));
`;

export async function startS3Server(dir: string, bucket = 'eucaim-test'): Promise<S3Server> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', S3RVER_CHILD], {
    env: {
      PATH: process.env.PATH,
      S3RVER_MODULE: createRequire(import.meta.url).resolve('s3rver'),
      S3RVER_DIR: dir,
      S3RVER_BUCKET: bucket,
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const settle = (err: Error | undefined, port?: number) => {
      clearTimeout(timer);
      child.off('message', onMessage).off('error', settle).off('exit', onExit);
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve(port as number);
    };
    const onMessage = (msg: { port: number }) => settle(undefined, msg.port);
    const onExit = (code: number | null) => settle(new Error(`s3rver exited (${code}) before listening: ${stderr}`));
    const timer = setTimeout(() => settle(new Error('s3rver did not start within 15 s')), 15_000);
    child.on('message', onMessage).on('error', settle).on('exit', onExit);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  return {
    endpoint,
    bucket,
    client() {
      const made = makeS3Client({ endpoint, region: REGION, credentials: S3RVER_CREDENTIALS });
      clients.push(made);
      return made;
    },
    async close() {
      for (const made of clients) made.destroy();
      await stopChild(child);
    },
  };
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

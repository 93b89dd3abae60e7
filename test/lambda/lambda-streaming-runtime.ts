// What the Lambda Node runtime (aws-lambda-nodejs-runtime-interface-client) provides to a handler in
// RESPONSE_STREAM mode, so the streaming handler runs here as it does on AWS: the `awslambda`
// global, and the wire format of a function URL's streamed response (the HTTP prelude as JSON, eight
// NUL bytes, then the body as written).
import { PassThrough, type Writable } from 'node:stream';

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const DELIMITER = new Uint8Array(8);

export function installLambdaStreamingRuntime(): void {
  // The AWS SDK's invoke store may have made the global already (it keeps its own member there).
  const g = globalThis as unknown as { awslambda?: Record<string, unknown> };
  g.awslambda ??= {};
  if (typeof g.awslambda.streamifyResponse === 'function') return;
  Object.assign(g.awslambda, {
    streamifyResponse<T extends object>(handler: T): T {
      Object.defineProperty(handler, STREAMING, { value: 'response' });
      return handler;
    },
    HttpResponseStream: {
      from(underlying: Writable & { setContentType?: (t: string) => void }, prelude: Record<string, unknown>) {
        underlying.setContentType?.('application/vnd.awslambda.http-integration-response');
        underlying.write(JSON.stringify(prelude));
        underlying.write(DELIMITER);
        return underlying;
      },
    },
  });
}

/** The client's side of a function URL: the prelude once complete, then body chunks as they arrive. */
export function responseReader() {
  const stream = new PassThrough();
  let buffered = Buffer.alloc(0);
  let prelude: { statusCode: number; headers: Record<string, string> } | undefined;
  let body = '';
  let ended = false;
  const waiters: (() => void)[] = [];
  const notify = () => {
    for (const w of waiters.splice(0)) w();
  };
  stream.on('data', (chunk: Buffer) => {
    if (prelude) body += chunk.toString('utf8');
    else {
      buffered = Buffer.concat([buffered, chunk]);
      const at = buffered.indexOf(Buffer.from(DELIMITER));
      if (at >= 0) {
        prelude = JSON.parse(buffered.subarray(0, at).toString('utf8'));
        body += buffered.subarray(at + DELIMITER.length).toString('utf8');
      }
    }
    notify();
  });
  stream.on('end', () => {
    ended = true;
    notify();
  });
  return {
    stream,
    get prelude() {
      return prelude;
    },
    get ended() {
      return ended;
    },
    /** Waits until the body so far satisfies `done` (or the stream ends); answers the body. */
    async until(done: (body: string) => boolean): Promise<string> {
      while (!done(body) && !ended) await new Promise<void>((resolve) => waiters.push(resolve));
      return body;
    },
  };
}

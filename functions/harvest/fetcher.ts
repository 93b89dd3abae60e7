// Fetching from a harvest source with every bound a hostile or broken source needs: same origin
// only (redirects included), a timeout per request, a deadline per run, a byte cap per response and
// per run, a document cap, and Turtle only. Any breach ends the run with a HarvestFailure.

export type HarvestReason =
  | 'unreachable'
  | 'timeout'
  | 'deadline'
  | 'http_status'
  | 'redirect_loop'
  | 'off_origin'
  | 'not_rdf'
  | 'invalid_rdf'
  | 'too_large'
  | 'run_too_large'
  | 'too_many_documents'
  | 'internal';

export class HarvestFailure extends Error {
  constructor(
    readonly reason: HarvestReason,
    message: string,
  ) {
    super(message);
  }
}

export interface HarvestLimits {
  requestTimeoutMs: number;
  /** Epoch ms after which no request starts and running ones are cut. */
  deadlineAt: number;
  maxResponseBytes: number;
  maxRunBytes: number;
  maxDocuments: number;
}

export interface FetchedDocument {
  url: string;
  text: string;
  link: string | null;
}

const MAX_REDIRECTS = 5;
const TURTLE_TYPES = ['text/turtle', 'application/x-turtle', 'application/n-triples'];

export class BoundedFetcher {
  bytes = 0;
  documents = 0;

  constructor(
    readonly origin: string,
    private readonly limits: HarvestLimits,
    private readonly now: () => number,
  ) {}

  /** Refuses any URL outside the source's origin: no request from the hub to other hosts. */
  checkOrigin(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new HarvestFailure('off_origin', `not a URL: ${url.slice(0, 200)}`);
    }
    if (parsed.origin !== this.origin) throw new HarvestFailure('off_origin', `${parsed.origin} is not the source's origin ${this.origin}`);
    parsed.hash = '';
    return parsed.toString();
  }

  async get(start: string): Promise<FetchedDocument> {
    if (this.documents >= this.limits.maxDocuments)
      throw new HarvestFailure('too_many_documents', `more than ${this.limits.maxDocuments} documents`);
    this.documents++;
    let url = this.checkOrigin(start);
    const chain = new Set<string>();
    for (let hop = 0; ; hop++) {
      const res = await this.request(url);
      if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
        await res.body?.cancel();
        chain.add(url);
        const next = this.checkOrigin(new URL(res.headers.get('location') as string, url).toString());
        if (chain.has(next) || hop + 1 >= MAX_REDIRECTS)
          throw new HarvestFailure('redirect_loop', `redirects loop or exceed ${MAX_REDIRECTS} at ${url}`);
        url = next;
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new HarvestFailure('http_status', `${url} answered ${res.status}`);
      }
      const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (!TURTLE_TYPES.includes(type)) {
        await res.body?.cancel();
        throw new HarvestFailure('not_rdf', `${url} answered ${type || 'no content type'}, not Turtle`);
      }
      return { url, text: await this.readBody(res, url), link: res.headers.get('link') };
    }
  }

  /** Throws once the run's deadline has passed; answers the time left otherwise. */
  checkDeadline(): number {
    const left = this.limits.deadlineAt - this.now();
    if (left <= 0) throw new HarvestFailure('deadline', 'the run passed its deadline');
    return left;
  }

  private async request(url: string): Promise<Response> {
    const left = this.checkDeadline();
    try {
      return await fetch(url, { redirect: 'manual', headers: { accept: 'text/turtle' }, signal: this.timeout(left) });
    } catch (err) {
      throw this.abortReason(err, url);
    }
  }

  /** The per-request timeout also covers reading the body, so a source that trickles is cut too. */
  private signal?: AbortSignal;
  private timeout(left: number): AbortSignal {
    this.signal = AbortSignal.timeout(Math.max(1, Math.min(this.limits.requestTimeoutMs, left)));
    return this.signal;
  }

  private abortReason(err: unknown, url: string): HarvestFailure {
    if (err instanceof HarvestFailure) return err;
    if (this.signal?.aborted) {
      return this.now() >= this.limits.deadlineAt
        ? new HarvestFailure('deadline', 'the run passed its deadline')
        : new HarvestFailure('timeout', `${url} did not answer within ${this.limits.requestTimeoutMs} ms`);
    }
    return new HarvestFailure('unreachable', `${url} could not be reached`);
  }

  private async readBody(res: Response, url: string): Promise<string> {
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (declared > this.limits.maxResponseBytes) {
      await res.body?.cancel();
      throw new HarvestFailure('too_large', `${url} declares ${declared} bytes, over ${this.limits.maxResponseBytes}`);
    }
    const reader = res.body?.getReader();
    if (!reader) return '';
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        this.bytes += value.byteLength;
        if (size > this.limits.maxResponseBytes)
          throw new HarvestFailure('too_large', `${url} sent more than ${this.limits.maxResponseBytes} bytes`);
        if (this.bytes > this.limits.maxRunBytes)
          throw new HarvestFailure('run_too_large', `the run read more than ${this.limits.maxRunBytes} bytes`);
        chunks.push(value);
      }
    } catch (err) {
      await reader.cancel().catch(() => {});
      throw this.abortReason(err, url);
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    return new TextDecoder().decode(all);
  }
}

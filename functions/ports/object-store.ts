/** Bytes by key: the filesystem for the embedded default, S3 in production. Keys are `a/b/c` paths. */
export interface ObjectStore {
  readonly kind: 'fs' | 's3';
  put(key: string, body: Uint8Array | ReadableStream<Uint8Array>, opts?: { contentType?: string }): Promise<{ size: number }>;
  /** Undefined when the key does not exist. */
  get(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType?: string } | undefined>;
  head(key: string): Promise<{ size: number; contentType?: string } | undefined>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
}

/** Refuses keys that could escape a prefix or a folder: `..`, absolute paths, empty segments, NUL. */
export function assertSafeKey(key: string): void {
  if (
    key.length === 0 ||
    key.length > 1024 ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.includes('\0') ||
    key.split('/').some((part) => part === '' || part === '.' || part === '..')
  ) {
    throw new Error(`unsafe object key: ${JSON.stringify(key.slice(0, 80))}`);
  }
}

import { assertSafeKey } from '../ports/object-store.ts';

/**
 * A list prefix may end in a partial segment (`runs/ab` matches `runs/abc/x`), so only its complete
 * segments are held to the key rules; the partial tail is used for string matching, never as a path.
 */
export function assertSafePrefix(prefix: string): void {
  if (prefix === '') return;
  if (prefix.length > 1024 || prefix.includes('\\') || prefix.includes('\0')) {
    throw new Error(`unsafe object key prefix: ${JSON.stringify(prefix.slice(0, 80))}`);
  }
  const cut = prefix.lastIndexOf('/');
  if (cut >= 0) assertSafeKey(prefix.slice(0, cut));
}

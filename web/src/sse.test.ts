import { describe, expect, it } from 'vitest';
import { readSse, sseParser } from './sse.ts';

describe('reading Server-Sent Events', () => {
  it('yields an event only once its blank line has arrived, across chunk borders', () => {
    const p = sseParser();
    expect(p.push('event: view\nid: 0\ndata: {"a"')).toEqual([]);
    expect(p.push(':1}\n')).toEqual([]);
    expect(p.push('\nevent: view\r\ndata: 2\r\n\r\n')).toEqual([
      { event: 'view', id: '0', data: '{"a":1}' },
      { event: 'view', id: '0', data: '2' },
    ]);
  });

  it('joins multi-line data, ignores comments and defaults the event name', () => {
    const p = sseParser();
    expect(p.push(': keep-alive\ndata: one\ndata: two\n\n')).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('reads a whole streamed body', async () => {
    const body = new Response('event: view\ndata: 1\n\nevent: view\ndata: 2\n\n').body as ReadableStream<Uint8Array>;
    const seen: string[] = [];
    await readSse(body, (e) => seen.push(`${e.event}:${e.data}`));
    expect(seen).toEqual(['view:1', 'view:2']);
  });
});

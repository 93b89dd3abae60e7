// Server-Sent Events read from a fetch body. EventSource cannot send an Authorization header and
// the hub denies by default, so the app streams with fetch and parses the event format itself.

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Splits SSE text into events as it arrives; `push` returns the events completed by this chunk. */
export function sseParser() {
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  let id: string | undefined;
  return {
    push(chunk: string): SseEvent[] {
      buffer += chunk;
      const out: SseEvent[] = [];
      let nl = buffer.search(/\r\n|\r|\n/);
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) out.push({ event, data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
          event = 'message';
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id') id = value;
        }
        nl = buffer.search(/\r\n|\r|\n/);
      }
      return out;
    },
  };
}

/** Reads a streamed response to its end, handing each event over as soon as it is complete. */
export async function readSse(body: ReadableStream<Uint8Array>, onEvent: (e: SseEvent) => void, signal?: AbortSignal): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = sseParser();
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const e of parser.push(decoder.decode(value, { stream: true }))) onEvent(e);
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

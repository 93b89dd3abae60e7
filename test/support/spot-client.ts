// What a Samply Lens explorer sends its Spot, written with Web APIs only (the Workers suite and the
// benchmark use it too): the query as the EUCAIM explorer wraps it (eucaim-frontend
// `src/services/backend.service.ts`), and a reader of the Beam results stream.
import { sseParser } from '../../web/src/sse.ts';

const utf8Base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

/** `query` of `POST /beam`: base64 of `{lang: "ast", query: base64 of {ast, id}}`. */
export function lensQuery(ast: unknown, id: string = crypto.randomUUID()): string {
  return utf8Base64(JSON.stringify({ lang: 'ast', query: utf8Base64(JSON.stringify({ ast, id })) }));
}

export interface BeamEvent {
  event: string;
  data: string;
  /** Milliseconds since the reader started. */
  at: number;
}

/** A Beam result as Spot streams it (beam-lib `TaskResult`, body a string). */
export interface BeamResultMessage {
  from: string;
  to: string[];
  task: string;
  status: 'claimed' | 'succeeded' | 'tempfailed' | 'permfailed';
  body: string;
  metadata: Record<string, unknown>;
}

/** Every event of an event stream until it closes. */
export async function readEvents(res: Response, onEvent?: (e: BeamEvent) => void): Promise<BeamEvent[]> {
  const started = Date.now();
  const parser = sseParser();
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: BeamEvent[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    for (const e of parser.push(decoder.decode(value, { stream: true }))) {
      const event = { event: e.event, data: e.data, at: Date.now() - started };
      events.push(event);
      onEvent?.(event);
    }
  }
}

/** The provider answer in a succeeded result, as the explorer reads it: `JSON.parse(atob(body))`. */
export const providerOf = (r: BeamResultMessage) =>
  JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(r.body), (ch) => ch.charCodeAt(0)))) as Record<string, unknown>;

// Results are the owner's: the browser fetches them with the user's token through the typed client
// and saves the bytes itself, since a plain link would carry no token.
import { ApiError, type HubClient } from '../api.ts';

async function check(res: Response): Promise<Response> {
  if (res.ok) return res;
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; requestId?: string } } | null;
  throw new ApiError(res.status, body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? `the hub answered ${res.status}`, body?.error?.requestId);
}

export async function fetchLog(client: HubClient, id: string, nodeId: string, download = false): Promise<Response> {
  return check(await client.api.v1.runs[':id'].nodes[':nodeId'].log.$get({ param: { id, nodeId }, query: download ? { download: '1' } : {} }));
}

export async function fetchOutput(client: HubClient, id: string, nodeId: string, path: string): Promise<Response> {
  return check(await client.api.v1.runs[':id'].nodes[':nodeId'].outputs[':path{.+}'].$get({ param: { id, nodeId, path } }));
}

/** Hands the bytes to the browser as a file download with the given name. */
export async function saveAs(res: Response, name: string): Promise<void> {
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

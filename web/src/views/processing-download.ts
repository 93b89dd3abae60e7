// Results are the owner's: the browser fetches them with the user's token through the typed client
// and saves the bytes itself, since a plain link would carry no token.
import { type HubClient, okJson } from '../api.ts';

/** The response when it is the file; the hub's error (code, message, details, request id) otherwise. */
async function check<R extends Response>(res: R): Promise<R> {
  if (!res.ok) await okJson(res);
  return res;
}

export async function fetchLog(client: HubClient, id: string, nodeId: string, download = false): Promise<Response> {
  return check(
    await client.api.v1.runs[':id'].nodes[':nodeId'].log.$get({ param: { id, nodeId }, query: download ? { download: '1' } : {} }),
  );
}

export async function fetchOutput(client: HubClient, id: string, nodeId: string, path: string): Promise<Response> {
  return check(await client.api.v1.runs[':id'].nodes[':nodeId'].outputs[':path{.+}'].$get({ param: { id, nodeId, path } }));
}

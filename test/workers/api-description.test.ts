import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const HUB = 'https://hub.eucaim.example';

// The description is generated inside the Worker from the same declarations as on Node.
describe('the API description on Workers (workerd)', () => {
  it("serves GET /api/openapi.json for the Worker's PUBLIC_URL", async () => {
    const res = await exports.default.fetch(`${HUB}/api/openapi.json`);
    const doc = (await res.json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, { 'x-access'?: string }>>;
    };
    expect(res.status).toBe(200);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: HUB }]);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(90);
    expect(doc.paths['/api/v1/bridge/job-keys']?.get?.['x-access']).toBe('public');
  });

  it('serves the reference page with no script', async () => {
    const res = await exports.default.fetch(`${HUB}/api/reference`);
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain('<code>/api/v1/health</code>');
    expect(page).not.toContain('<script');
  });
});

import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { createWorkerServices } from '../../functions/runtime/worker-services.ts';
import { AppError } from '../../shared/errors.ts';

const readText = async (body: ReadableStream<Uint8Array>) => new Response(body).text();

describe('the object store on Workers', () => {
  it('refuses, naming what to configure, when OBJECT_STORE is not s3 (no disk in a Worker)', async () => {
    const { services, close } = await createWorkerServices(env);
    try {
      const refused = await services.objectStore.put('reports/a.txt', new TextEncoder().encode('x')).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).status).toBe(503);
      expect((refused as AppError).message).toContain('OBJECT_STORE=s3');
    } finally {
      await close();
    }
  });

  it('stores and reads back through the S3 adapter (AWS SDK inside workerd)', async () => {
    const { services, close } = await createWorkerServices({
      ...env,
      OBJECT_STORE: 's3',
      S3_BUCKET: inject('s3Bucket'),
      AWS_ENDPOINT_URL: inject('s3Endpoint'),
      AWS_REGION: 'us-east-1',
      // s3rver's fixed key pair: it refuses any other signature.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    });
    try {
      const key = `workers/${crypto.randomUUID()}.json`;
      const put = await services.objectStore.put(key, new TextEncoder().encode('{"ok":true}'), { contentType: 'application/json' });
      expect(put.size).toBe(11);
      const got = await services.objectStore.get(key);
      expect(got?.contentType).toBe('application/json');
      expect(got && (await readText(got.body))).toBe('{"ok":true}');
      expect(await services.objectStore.list('workers/')).toContain(key);
    } finally {
      await close();
    }
  });
});

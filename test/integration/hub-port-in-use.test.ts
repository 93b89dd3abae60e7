import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { silentLogger } from '../../functions/ports/logger.ts';
import { startNodeHub } from '../../functions/runtime/node-hub.ts';
import { freshDatabase } from '../support/database.ts';

it('fails its start with EADDRINUSE when the port is taken, instead of hanging', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const address = taken.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-port-'));
  const database = await freshDatabase();
  try {
    const start = startNodeHub(
      { PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dir, LOG_LEVEL: 'silent' },
      { port, database: database.handle, migrate: false, logger: silentLogger },
    );
    await expect(start).rejects.toMatchObject({ code: 'EADDRINUSE' });
  } finally {
    await new Promise((resolve) => taken.close(resolve));
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
});

// A bridge process for the restart test: it starts one run and is killed with SIGKILL mid-run.
import { z } from 'zod';
import { openIndexDb } from '../../bridge/index/schema.ts';
import { silentLogger } from '../../bridge/logger.ts';
import { DockerEngine } from '../../bridge/processing/engine.ts';
import { RunExecutor } from '../../bridge/processing/executor.ts';
import { RunStateStore } from '../../bridge/processing/run-state.ts';
import { FsOutputSink } from '../../bridge/processing/upload.ts';
import { runJobPayloadSchema } from '../../shared/processing/run.ts';
import { toolApprovalSchema } from '../../shared/processing/tool.ts';

const input = z
  .object({
    socketPath: z.string(),
    nodeId: z.string(),
    db: z.string(),
    dataDir: z.string(),
    stateDir: z.string(),
    sandboxDir: z.string(),
    uploadDir: z.string(),
    approval: toolApprovalSchema,
    payload: runJobPayloadSchema,
  })
  .parse(JSON.parse(process.argv[2] ?? '{}'));
const executor = new RunExecutor({
  nodeId: input.nodeId,
  db: openIndexDb(input.db),
  dataDir: input.dataDir,
  sandboxDir: input.sandboxDir,
  engine: new DockerEngine({ socketPath: input.socketPath }),
  store: await RunStateStore.open(input.stateDir),
  sink: new FsOutputSink(input.uploadDir),
  approvals: () => [input.approval],
  // The parent checked the grant path already; this process only has to get the container running.
  checkGrants: async () => ({ ok: true }),
  gpuCount: async () => 0,
  logger: silentLogger,
});
await executor.execute(input.payload);

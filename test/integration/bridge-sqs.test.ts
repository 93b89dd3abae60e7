import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBridgeConfig } from '../../bridge/config.ts';
import { startBridge } from '../../bridge/start.ts';
import { type HubStub, startHubStub } from '../../bridge/test-support/hub-stub.ts';
import { type NodeFixture, makeNodeFixture, memoryLogger, bridgeEnv } from '../../bridge/test-support/node-fixture.ts';

describe('a bridge reading its jobs from its SQS queue', () => {
  let sqsServer: Server;
  let sqs: SQSClient;
  let queueUrl: string;
  let hub: HubStub;
  let node: NodeFixture;
  let bridge: Awaited<ReturnType<typeof startBridge>> | undefined;

  beforeAll(async () => {
    sqsServer = await createSqsServer({ port: 0, hostname: '127.0.0.1' });
    const endpoint = `http://127.0.0.1:${(sqsServer.address() as AddressInfo).port}`;
    // Explicit dummy credentials and a loopback endpoint: the SDK must never look for real ones.
    sqs = new SQSClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    node = await makeNodeFixture();
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `jobs-${node.nodeId}` }))).QueueUrl as string;
    hub = await startHubStub({ nodes: { [node.nodeId]: node.publicJwk } });
  });
  afterAll(async () => {
    await bridge?.stop();
    sqs?.destroy();
    await hub?.close();
    await new Promise((r) => {
      sqsServer?.close(r);
      sqsServer?.closeAllConnections();
    });
    await node?.remove();
  });

  it('answers a job from the queue, refuses a foreign one, and deletes both messages', async () => {
    const goodId = `job-${crypto.randomUUID()}`;
    const foreignId = `job-${crypto.randomUUID()}`;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: await hub.signJob({ jobId: goodId, nodeId: node.nodeId }) }));
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: await hub.signJob({ jobId: foreignId, nodeId: 'node-elsewhere' }) }),
    );

    const config = loadBridgeConfig({
      ...bridgeEnv(node, hub),
      JOB_SOURCE: 'sqs',
      SQS_QUEUE_URL: queueUrl,
      AWS_REGION: 'eu-west-1',
      OBFUSCATION: 'off',
    });
    bridge = await startBridge(config, {
      logger: memoryLogger(),
      sqsClient: sqs,
      longPollSeconds: 1,
      minPollIntervalMs: 20,
      heartbeatIntervalMs: 500,
    });
    await hub.waitFor(() => hub.results.some((r) => r.jobId === goodId) && hub.reports.some((r) => r.body.jobId === foreignId));

    const studies = node.plan.patients.flatMap((p) => p.studies);
    const result = hub.results.find((r) => r.jobId === goodId)?.body;
    expect(result).toMatchObject({
      status: 'answered',
      result: { total: { studies_count: studies.length, subjects_count: node.plan.patients.filter((p) => p.studies.length > 0).length } },
    });
    expect(hub.reports.find((r) => r.body.jobId === foreignId)?.body.reason).toBe('wrong_node');

    // Deleted, not merely hidden: nothing visible and nothing in flight (the deletes follow the posts).
    const counts = async () =>
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
      ).Attributes;
    let attrs = await counts();
    for (let i = 0; i < 50 && attrs?.ApproximateNumberOfMessagesNotVisible !== '0'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      attrs = await counts();
    }
    expect(attrs).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });
});

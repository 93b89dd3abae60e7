// Two kinds of SQS queues. The hub's own delayed tasks (search deadlines) go through one queue
// consumed by functions/entries/lambda-sqs.ts. Jobs for nodes go through one queue per node, so a
// node's backlog never delays another's; each has a dead-letter queue for jobs that keep failing.

/**
 * Nodes are configuration: the demo pair unless EUCAIM_NODE_IDS lists the federation's real ones
 * (comma-separated). Adding a node is a deploy; its id must also be registered in the hub.
 */
const nodeIds = (process.env.EUCAIM_NODE_IDS ?? 'node-a,node-b')
  .split(',')
  .map((id) => id.trim())
  .filter(Boolean);
for (const id of nodeIds) {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(id)) throw new Error(`EUCAIM_NODE_IDS: ${JSON.stringify(id)} is not a node id`);
}

const taskDeadLetters = new sst.aws.Queue('HubTaskDeadLetters');
export const taskQueue = new sst.aws.Queue('HubTasks', {
  dlq: { queue: taskDeadLetters.arn, retry: 5 },
  // At least the consumer's timeout, or a message being handled would be handed out again.
  visibilityTimeout: '2 minutes',
});

// Node queues get names the hub can compute (SQS_QUEUE_URL_TEMPLATE), not generated ones.
const nodeQueuePrefix = `${$app.name}-${$app.stage}-node-`;

export const nodeQueues = nodeIds.map((nodeId) => {
  const key = nodeId.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) => c.toUpperCase());
  const deadLetters = new sst.aws.Queue(`NodeJobs${key}DeadLetters`);
  const queue = new sst.aws.Queue(`NodeJobs${key}`, {
    dlq: { queue: deadLetters.arn, retry: 5 },
    transform: { queue: { name: `${nodeQueuePrefix}${nodeId}` } },
  });
  return { nodeId, queue };
});

/** `https://sqs.<region>.amazonaws.com/<account>/<app>-<stage>-node-{nodeId}`, from a queue we own. */
export const nodeQueueUrlTemplate = taskQueue.url.apply((url) => url.replace(/[^/]+$/, `${nodeQueuePrefix}{nodeId}`));

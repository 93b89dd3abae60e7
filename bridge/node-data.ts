import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CapabilityManifest } from '../shared/job-protocol.ts';
import type { QueryNode } from '../shared/query.ts';
import { sleep } from './backoff.ts';
import type { BridgeConfig } from './config.ts';
import { loadDatasets } from './dataset.ts';
import { type IndexRunSummary, indexDataDir } from './index/indexer.ts';
import { type Db, getMeta, keysOf, openIndexDb } from './index/schema.ts';
import { type Logger, describeError } from './logger.ts';
import { type Answer, answerQuery, listIndexedDatasets } from './query/answer.ts';
import { capabilityManifest } from './query/capabilities.ts';
import { askMediator } from './query/mediator.ts';
import { mediatorCapabilities } from './query/mediator-dialect.ts';
import { type RunningEndpoint, serveMediatorEndpoint } from './query/mediator-endpoint.ts';
import { Obfuscator } from './query/obfuscate.ts';
import { snapshotOf } from './query/snapshot.ts';
import { Vocabulary, loadMappings } from './query/vocabulary.ts';

/** What the worker needs from the node's data, whether the bridge indexes it or a mediator answers. */
export interface NodeData {
  /** The answer as it goes to the hub, obfuscated: answered with counts, or unsupported with the keys. */
  answer(query: QueryNode, id?: string): Promise<Answer>;
  /** The same from the own index for the mediator endpoint: unknown terms match nothing (absent with a mediator). */
  answerAsMediator?: (query: QueryNode) => Answer;
  datasets(): { id: string; name: string }[];
  capabilities(): CapabilityManifest;
  /** Re-indexes every REINDEX_INTERVAL_SECONDS until stopped (returns at once with a mediator or 0). */
  reindexLoop(signal: AbortSignal): Promise<void>;
  lastIndex?: IndexRunSummary;
  /** The bridge's own index (absent when a mediator answers): what runs read their inputs from. */
  db?: Db;
  close(): void;
}

const MAX_LOGGED_SKIPS = 50;

/** Opens `STATE_DIR/index.sqlite`, indexes DATA_DIR (unless a mediator answers) and wires the answers. */
export async function openNodeData(config: BridgeConfig, logger: Logger, fetchImpl?: typeof fetch): Promise<NodeData> {
  mkdirSync(config.stateDir, { recursive: true });
  // The noise cache lives here too, with a mediator as well, so answers stay stable across restarts.
  const db: Db = openIndexDb(join(config.stateDir, 'index.sqlite'));
  const obf = new Obfuscator(config.privacy, db);
  const vocab = new Vocabulary(await loadMappings(config.mappingsFile));
  if (config.mediator) {
    const mediator = { ...config.mediator, fetch: fetchImpl };
    const described = await loadDatasets(config.dataDir).catch(() => []);
    logger.info('answering through the local mediator', { url: config.mediator.url, obfuscation: config.privacy.enabled });
    return {
      answer: (query, id) => askMediator(mediator, query, id ?? crypto.randomUUID(), obf, vocab),
      datasets: () => described.map((d) => ({ id: d.id, name: d.name })),
      capabilities: mediatorCapabilities,
      reindexLoop: async () => {},
      close: () => db.close(),
    };
  }
  const data: NodeData = {
    answer: async (query) => answerQuery(db, query, obf),
    answerAsMediator: (query) => answerQuery(db, query, obf, 'no-match'),
    datasets: () => listIndexedDatasets(db).map((d) => ({ id: d.id, name: d.name })),
    capabilities: () => capabilityManifest(keysOf(db), new Set(JSON.parse(getMeta(db, 'sheet_columns') ?? '[]') as string[])),
    reindexLoop: async (signal) => {
      if (config.reindexIntervalMs <= 0) return;
      for (;;) {
        await sleep(config.reindexIntervalMs, signal);
        if (signal.aborted) return;
        await reindex().catch((err: unknown) =>
          logger.error('re-indexing failed; the previous index stays in use', { error: describeError(err) }),
        );
      }
    },
    db,
    close: () => db.close(),
  };
  const reindex = async () => {
    const summary = await indexDataDir(db, config.dataDir, vocab);
    // Load the query columns now, not in the first query after an index run (seconds at a million series).
    snapshotOf(db);
    data.lastIndex = summary;
    const { skipped, ...counts } = summary;
    logger.info('data indexed', { ...counts, skipped: skipped.length });
    for (const bad of skipped.slice(0, MAX_LOGGED_SKIPS)) logger.warn('file skipped', { ...bad });
  };
  await reindex();
  return data;
}

/** The mediator endpoint for a site's Focus, when the data holder configured one; it answers from the own index. */
export async function startMediatorEndpoint(config: BridgeConfig, data: NodeData, logger: Logger): Promise<RunningEndpoint | undefined> {
  if (!config.mediatorEndpoint || !data.answerAsMediator) return undefined;
  return serveMediatorEndpoint(config.mediatorEndpoint, data.answerAsMediator, logger).catch((err: unknown) => {
    data.close();
    throw err;
  });
}

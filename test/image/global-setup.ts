import type { TestProject } from 'vitest/node';
import { buildBridgeImage } from '../../bridge/image/build-image.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bridge image of this tree, as CI builds it (offline bases, Podman). */
    bridgeImage: string;
    /** The same sources built as a newer release: the upgrade the tests apply on the same state. */
    bridgeImageNext: string;
    bridgeImageNextVersion: string;
  }
}

export const NEXT_VERSION = '0.1.1';

/** Builds both images once for the suite (cached layers make the second take seconds). */
export default async function setup(project: TestProject) {
  const log = (line: string) => console.log(`[bridge-image] ${line}`);
  const next = await buildBridgeImage({ version: NEXT_VERSION, log });
  const current = await buildBridgeImage({ log });
  project.provide('bridgeImage', current.tag);
  project.provide('bridgeImageNext', next.tag);
  project.provide('bridgeImageNextVersion', next.version);
}

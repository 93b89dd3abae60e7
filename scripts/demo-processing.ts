import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ToolApproval, toolApprovalSchema } from '../shared/processing/tool.ts';
import { type PodmanService, buildToolImage, podmanMissing, startPodman } from './podman-service.ts';

const MiB = 1024 * 1024;

/** The demo tool: counts its input files per subject and writes them to result.json. */
export const DEMO_TOOL_SCRIPT = `min=\${PARAM_MIN_FILES:-0}
first=1
{
printf '{"subjects":{'
for d in /input/*/*/; do
  [ -d "$d" ] || continue
  n=$(find "$d" -type f | wc -l)
  [ "$n" -ge "$min" ] || continue
  [ $first = 1 ] || printf ','
  first=0
  printf '"%s/%s":%s' "$(basename "$(dirname "$d")")" "$(basename "$d")" "$n"
done
printf '},"files":%s}' "$(find /input -type f | wc -l)"
} > /output/result.json
echo "file-counter: $(find /input -type f | wc -l) files in $(ls /input | wc -l) dataset(s)"`;

export const DEMO_TOOL_REFERENCE = 'localhost/eucaim/file-counter:1.0.0';

/**
 * The demo tool's approval, as both demo nodes hold it in their TOOLS_FILE and as the hub's tool
 * registry should list it. The digest is the image id `podman import` gives the reproducible image
 * (the same on every start on one machine); read it from `.data/bridges/demo-tool.json`, or take it
 * from `prepareDemoProcessing()`.
 */
export function demoToolApproval(digest: string): ToolApproval {
  return toolApprovalSchema.parse({
    id: 'file-counter',
    version: '1.0.0',
    image: { reference: DEMO_TOOL_REFERENCE, digest },
    description: 'Counts the input files of each subject and writes them to result.json (demo tool, built offline from busybox).',
    parameters: [
      {
        name: 'min_files',
        type: 'integer',
        min: 0,
        max: 1_000_000,
        default: 0,
        description: 'list only subjects with at least this many files',
      },
    ],
    inputs: { min: 1, max: 10 },
    outputs: { allow: ['result.json'], maxFileBytes: MiB, maxTotalBytes: MiB, maxFiles: 1 },
    flavour: { cpus: 1, memoryBytes: 128 * MiB, pids: 64 },
    timeoutSeconds: 300,
  });
}

/** The approval `npm start` gave its bridges this time, or undefined when the demo runs without processing. */
export async function readDemoToolApproval(dataDir: string): Promise<ToolApproval | undefined> {
  const text = await readFile(path.join(dataDir, 'bridges', 'demo-tool.json'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : toolApprovalSchema.parse((JSON.parse(text) as unknown[])[0]);
}

export interface DemoProcessing {
  pm: PodmanService;
  approval: ToolApproval;
  /** The approvals file both demo bridges read (TOOLS_FILE). */
  toolsFile: string;
  stop(): Promise<void>;
}

/**
 * Processing for `npm start` when this machine has Podman and busybox: a private Podman API service
 * under DATA_DIR/podman, the demo tool image imported into it, and the approvals file. Undefined,
 * with the reason, when it cannot run here: the demo then runs without processing.
 */
export async function prepareDemoProcessing(dataDir: string): Promise<DemoProcessing | { missing: string }> {
  const missing = podmanMissing();
  if (missing) return { missing };
  // An hour of idleness ends the service should `npm start` die without stopping it; the bridges'
  // health reports call it every 30 s while they run.
  let pm: PodmanService;
  try {
    pm = await startPodman({ root: path.join(dataDir, 'podman'), idleSeconds: 3600 });
  } catch (err) {
    return { missing: `the Podman service did not start: ${(err as Error).message.split('\n')[0]}` };
  }
  try {
    const digest = buildToolImage(pm, DEMO_TOOL_SCRIPT, DEMO_TOOL_REFERENCE);
    const approval = demoToolApproval(digest);
    const toolsFile = path.join(dataDir, 'bridges', 'demo-tool.json');
    await mkdir(path.dirname(toolsFile), { recursive: true });
    await writeFile(toolsFile, `${JSON.stringify([approval], null, 2)}\n`);
    return { pm, approval, toolsFile, stop: () => pm.stop() };
  } catch (err) {
    await pm.stop();
    return { missing: `the demo tool image could not be built: ${(err as Error).message.split('\n')[0]}` };
  }
}

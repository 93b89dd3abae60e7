import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Namespace, PersistentVolumeClaim } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The install files as a site receives them: the Kubernetes manifests checked against the
 * Kubernetes API's own schemas (kubernetes-models), and the settings each relies on for the bridge's
 * safety checked by value, so a misspelt field (which the schemas let through) shows as a missing one.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const kinds: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

async function manifests() {
  const dir = join(here, 'kubernetes');
  const out: { file: string; doc: Record<string, unknown> & { kind: string; apiVersion: string } }[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml'))
    for (const d of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) out.push({ file, doc: d.toJSON() });
  return out;
}

describe('the Kubernetes manifests', () => {
  it('are valid Kubernetes API objects, each of a kind the schemas know', async () => {
    const all = await manifests();
    expect(all.map((m) => m.doc.kind).sort()).toEqual(['Deployment', 'Namespace', 'NetworkPolicy', 'PersistentVolumeClaim']);
    for (const { file, doc } of all) {
      const Kind = kinds[`${doc.apiVersion}/${doc.kind}`];
      expect(Kind, `${file}: ${doc.apiVersion}/${doc.kind}`).toBeDefined();
      expect(() => new (Kind as NonNullable<typeof Kind>)(doc as never).validate(), file).not.toThrow();
    }
  });

  it('fail the schema check when a field has the wrong type (the check can fail)', async () => {
    const deployment = (await manifests()).find((m) => m.doc.kind === 'Deployment')?.doc as unknown as { spec: Record<string, unknown> };
    expect(() => new Deployment({ ...deployment, spec: { ...deployment.spec, replicas: 'one' } } as never).validate()).toThrow(
      /replicas must be integer/,
    );
  });

  it('run the bridge hardened: non-root, read-only root, no capability, no privilege escalation, no token, probes by healthcheck', async () => {
    const d = (await manifests()).find((m) => m.doc.kind === 'Deployment')?.doc as never as Deployment;
    const pod = d.spec?.template.spec;
    const c = pod?.containers[0];
    expect(d.spec?.replicas).toBe(1);
    expect(d.spec?.strategy?.type).toBe('Recreate');
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(pod?.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      fsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c?.securityContext).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c?.ports).toBeUndefined();
    for (const probe of [c?.startupProbe, c?.livenessProbe, c?.readinessProbe])
      expect(probe?.exec?.command).toEqual(['/usr/local/bin/node', '/app/bridge.mjs', 'healthcheck']);
    expect(pod?.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(40);
    const mounts = Object.fromEntries((c?.volumeMounts ?? []).map((m) => [m.mountPath, m]));
    expect(mounts['/data']?.readOnly).toBe(true);
    expect(mounts['/config']?.readOnly).toBe(true);
    expect(mounts['/run/secrets']?.readOnly).toBe(true);
    expect(mounts['/state']?.readOnly).toBeUndefined();
    const volumes = Object.fromEntries((pod?.volumes ?? []).map((v) => [v.name, v]));
    expect(volumes.state?.persistentVolumeClaim?.claimName).toBe('bridge-state');
    expect(volumes['node-key']?.secret?.secretName).toBe('node-key');
    expect(volumes.data?.persistentVolumeClaim?.readOnly).toBe(true);
  });

  it('let nothing in and nothing out but to the hub and to DNS', async () => {
    const p = (await manifests()).find((m) => m.doc.kind === 'NetworkPolicy')?.doc as never as NetworkPolicy;
    expect(p.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(p.spec?.ingress).toEqual([]);
    const egress = p.spec?.egress ?? [];
    expect(egress).toHaveLength(2);
    expect(egress[0]?.to?.map((t) => Object.keys(t))).toEqual([['ipBlock']]);
    expect(egress[0]?.to?.[0]?.ipBlock?.cidr).toMatch(/\/32$/);
    expect(egress[1]?.ports?.map((port) => port.port)).toEqual([53, 53]);
  });

  it('are all in the kustomization, which builds the settings and the key from the files init writes', async () => {
    const k = parse(await readFile(join(here, 'kubernetes/kustomization.yaml'), 'utf8')) as {
      resources: string[];
      images: { name: string; digest: string }[];
      configMapGenerator: { name: string; files: string[] }[];
      secretGenerator: { name: string; files: string[] }[];
    };
    const files = (await readdir(join(here, 'kubernetes'))).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...k.resources].sort()).toEqual(files.sort());
    expect(k.images[0]?.name).toBe('eucaim-bridge');
    expect(k.images[0]?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(k.configMapGenerator[0]).toEqual({ name: 'bridge-settings', files: ['bridge.env'] });
    expect(k.secretGenerator[0]).toEqual({ name: 'node-key', files: ['node-key=node-key.json'] });
  });
});

describe('the Compose file', () => {
  it('runs the bridge as the image is meant to run: hardened, no port, the key as a secret file, a long stop', async () => {
    const compose = parse(await readFile(join(here, 'compose.yaml'), 'utf8')) as {
      services: { bridge: Record<string, unknown> };
      secrets: Record<string, { file: string }>;
      volumes: Record<string, unknown>;
    };
    const b = compose.services.bridge;
    expect(b).toMatchObject({
      read_only: true,
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
      user: '65532:65532',
      stop_grace_period: '40s',
    });
    expect(b.ports).toBeUndefined();
    // Compose's own interpolation, kept as text here.
    const dollar = '$';
    expect(b.network_mode).toBe(`${dollar}{BRIDGE_NETWORK_MODE:-bridge}`);
    expect(b.secrets).toEqual([{ source: 'node-key', target: 'node-key' }]);
    expect(compose.secrets['node-key']).toEqual({ file: './node-key.json' });
    expect(b.volumes).toEqual(['./:/config:ro', `${dollar}{DATA_PATH:?set DATA_PATH in .env}:/data:ro`, 'bridge-state:/state']);
    expect(Object.keys(compose.volumes)).toEqual(['bridge-state']);
    expect(b.environment).toMatchObject({ BRIDGE_CONFIG: '/config/bridge.env', HTTPS_PROXY: `${dollar}{HTTPS_PROXY:-}` });
  });
});

import { buildToolImage } from '../../scripts/podman-service.ts';

// Built with the reproducible offline recipe in scripts/podman-service.ts.
export { buildToolImage };

/** The tools of the container tests; each script writes what it saw to /output so tests can read it. */
export const TOOLS = {
  // Counts the files it was given and echoes its parameters: the happy path.
  count: `n=$(find /input -type f | wc -l)
printf '{"files":%s,"label":"%s","threshold":"%s"}' "$n" "$PARAM_LABEL" "$PARAM_THRESHOLD" > /output/result.json
cp /params.json /output/params.json
echo "counted $n files"
echo "a warning" >&2`,
  // Reports what it can see and do: user, capabilities, network interfaces and routes, limits.
  probe: `{
printf '{"uid":"%s",' "$(id -u)"
printf '"capEff":"%s",' "$(grep CapEff /proc/self/status | cut -f2)"
printf '"capBnd":"%s",' "$(grep CapBnd /proc/self/status | cut -f2)"
printf '"noNewPrivs":"%s",' "$(grep NoNewPrivs /proc/self/status | cut -f2)"
printf '"interfaces":"%s",' "$(ls /sys/class/net | tr '\\n' ' ')"
printf '"routes":%s,' "$(tail -n +2 /proc/net/route | wc -l)"
printf '"pidsMax":"%s",' "$(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)"
printf '"memoryLimit":"%s",' "$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)"
printf '"cpuQuota":"%s",' "$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d' ' -f1 /sys/fs/cgroup/cpu.max)"
printf '"tmpKb":"%s"}' "$(df -k /tmp | tail -1 | tr -s ' ' | cut -d' ' -f2)"
} > /output/probe.json`,
  // Tries to write everywhere but /output; records which attempts succeeded.
  writer: `ok=""
for f in /evil /bin/evil /var/cache/evil /input/evil /params.json; do
  if echo x 2>/dev/null > "$f"; then ok="$ok $f"; fi
done
first=$(find /input -type f | head -n 1)
if [ -n "$first" ] && echo tampered 2>/dev/null > "$first"; then ok="$ok input-file"; fi
if [ -n "$first" ] && rm -f "$first" 2>/dev/null && [ ! -e "$first" ]; then ok="$ok input-delete"; fi
printf '{"written":"%s"}' "$ok" > /output/result.json`,
  forever: 'exec sleep 3600',
  // Holds ~100 MB in a shell variable, then reports: only a memory limit stops it.
  hog: `x=$(head -c 100000000 /dev/zero | tr '\\0' a)
echo "\${#x}" > /output/size.txt`,
  // Leaves one allowed file and one of each kind of thing the allow-list must stop.
  outputs: `echo '{"ok":true}' > /output/result.json
mkdir -p /output/metrics && echo '0.93' > /output/metrics/auc.txt
cp "$(find /input -type f | head -n 1)" /output/copied.dcm
head -c 200000 /dev/zero > /output/big.json
ln -s /input /output/inputs-link.json
ln -s /params.json /output/params-link.json
mkfifo /output/pipe.json`,
};

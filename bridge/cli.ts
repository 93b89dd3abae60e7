import { runCli } from './commands.ts';

// The process entry: the only place besides config.ts that sees process.env, signals and exit codes.
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`bridge: ${sig} received, stopping`);
    controller.abort();
  });
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  signal: controller.signal,
});
process.exit(code);

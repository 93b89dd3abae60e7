import { createInterface } from 'node:readline/promises';
import { runCli } from './commands.ts';

// The process entry: the only place besides config.ts that sees process.env, signals and exit codes.
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`bridge: ${sig} received, stopping`);
    controller.abort();
  });
}

// `init` asks its questions only when a person sits at the terminal; otherwise flags say everything.
const ask = process.stdin.isTTY
  ? async (question: string, fallback?: string) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await rl.question(`${question}${fallback ? ` [${fallback}]` : ''}: `);
      } finally {
        rl.close();
      }
    }
  : undefined;

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  signal: controller.signal,
  ask,
});
process.exit(code);

import { ConfigError } from '../config.ts';
import { startNodeHub } from '../runtime/node-hub.ts';

// Plain Node: `tsx functions/entries/node.ts` serves the hub API and the built web app.
startNodeHub(process.env, { webRoot: 'web/dist' }).catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});

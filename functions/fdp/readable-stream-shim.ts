// Workers build only (wrangler.toml [alias], vitest.config.ts): n3 imports the readable-stream
// polyfill, which fails in workerd ("Cannot redefine property: Symbol(nodejs.util.promisify.custom)");
// nodejs_compat's own stream module offers the same classes.
export { Duplex, PassThrough, Readable, Stream, Transform, Writable } from 'node:stream';

#!/usr/bin/env tsx
import { run } from './program';

// `pnpm rapport …` (tsx packages/cli/src/bin.ts): the exit code is the command's; `start` keeps running.
const code = await run(process.argv.slice(2));
if (code !== null) {
  process.exitCode = code;
  // Everything is closed by now; should a handle still linger, do not hang on it.
  setTimeout(() => process.exit(code), 1_000).unref();
}

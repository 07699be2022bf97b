import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigError, loadConfig, startServer } from '@rapport/server';
import { firstRunShowcase } from './first-run-showcase';

/**
 * The plugins this repository ships, offered (not enabled) when RAPPORT_PLUGINS is not set, so that a
 * first `pnpm start` can show them in Settings → Plugins; RAPPORT_PLUGINS= (empty) offers none.
 */
const BUILT_IN_PLUGINS = ['@rapport/plugin-activities', '@rapport/plugin-data-ops', '@rapport/plugin-leads', '@rapport/plugin-pipeline', '@rapport/plugin-hello'];

function installed(name: string): boolean {
  try {
    createRequire(path.join(process.cwd(), 'package.json')).resolve(`${name}/manifest`);
    return true;
  } catch {
    return false;
  }
}

/** `pnpm start`: the server, configured from the environment (docs/configuration.md). */
async function main() {
  let config;
  try {
    config = loadConfig({ ...process.env, RAPPORT_PLUGINS: process.env.RAPPORT_PLUGINS ?? BUILT_IN_PLUGINS.filter(installed).join(',') });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`rapport: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const server = await startServer(config);
  if (config.demoData) await firstRunShowcase(server);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: Error) => {
  process.stderr.write(`rapport: ${error.message}\n`);
  process.exit(1);
});

import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';

/** JSON lines for machines; readable lines when a person watches the terminal. */
export function createLogger(level: string): Logger {
  if (!process.stdout.isTTY) return pino({ level, base: undefined });
  const require = createRequire(import.meta.url);
  return pino({ level, base: undefined, transport: { target: require.resolve('pino-pretty'), options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } });
}

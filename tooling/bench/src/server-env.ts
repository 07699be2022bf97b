/** The environment of a benchmarked server: quiet, no demo data, a known admin; `extra` says the database and plugins. */
export function benchServerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    RAPPORT_DEMO_DATA: 'false',
    RAPPORT_LOG_LEVEL: 'warn',
    RAPPORT_ADMIN_EMAIL: 'bench@rapport.local',
    RAPPORT_ADMIN_PASSWORD: 'Tuile-Verte-9481-perf',
    ...extra,
  };
}

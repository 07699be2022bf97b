export interface BenchArgs {
  driver: 'postgres' | 'pglite';
  n: number;
  /** Seconds of each measured run (after its warm-up). */
  duration: number;
  warmup: number;
  /** Connections of the throughput runs (latency runs use one). */
  connections: number;
  /** Batch requests in flight while seeding. */
  seedConcurrency: number;
  pgUrl: string;
  reseed: boolean;
  seedOnly: boolean;
  coldRuns: number;
  skipCold: boolean;
  skipBuild: boolean;
  profile: boolean;
  /** The web shell's budgets instead of the API's. */
  web: boolean;
  /** The import's throughput against COPY instead. */
  import: boolean;
}

const USAGE = `pnpm bench [options]
  --driver postgres|pglite   database (default postgres)
  --n N                      contacts to seed (default 100000)
  --duration S               seconds of each measured run (default 10)
  --warmup S                 seconds of warm-up before each run (default 3)
  --connections C            connections of the throughput runs (default 10)
  --seed-concurrency K       batch requests in flight while seeding (default 2)
  --pg-url URL               PostgreSQL admin URL (default $RAPPORT_BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test)
  --reseed                   seed the template again even if it exists
  --seed-only                seed the template (if needed) and stop
  --cold-runs K              cold starts to time (default 3; the median is reported)
  --skip-cold                skip the cold start and idle memory measurements
  --skip-build               do not rebuild apps/server/dist before the cold start
  --web                      the web shell's budgets instead (initial JS, LCP, interactions, scroll; --n companies, default 10000)
  --import                   the import of a generated French contacts CSV (--n rows, default 100000) against COPY, on PostgreSQL
  --profile                  also profile the real server (--cpu-prof) under the list load (or during --import), and summarize`;

export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = {
    driver: 'postgres',
    n: 100_000,
    duration: 10,
    warmup: 3,
    connections: 10,
    seedConcurrency: 2,
    pgUrl: process.env.RAPPORT_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    reseed: false,
    seedOnly: false,
    coldRuns: 3,
    skipCold: false,
    skipBuild: false,
    profile: false,
    web: false,
    import: false,
  };
  const rest = argv.filter((arg) => arg !== '--');
  const number = (name: string, value: string | undefined, min: number, max: number) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) fail(`--${name} must be a whole number from ${min} to ${max}`);
    return parsed;
  };
  for (let index = 0; index < rest.length; index++) {
    let [name, value] = rest[index]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const takeValue = () => {
      if (value !== undefined) return value;
      const next = rest[++index];
      if (next === undefined) fail(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case '--driver': {
        const driver = takeValue();
        if (driver !== 'postgres' && driver !== 'pglite') fail('--driver is postgres or pglite');
        args.driver = driver;
        break;
      }
      case '--n':
        args.n = number('n', takeValue(), 1000, 10_000_000);
        break;
      case '--duration':
        args.duration = number('duration', takeValue(), 1, 600);
        break;
      case '--warmup':
        args.warmup = number('warmup', takeValue(), 0, 120);
        break;
      case '--connections':
        args.connections = number('connections', takeValue(), 1, 256);
        break;
      case '--seed-concurrency':
        args.seedConcurrency = number('seed-concurrency', takeValue(), 1, 16);
        break;
      case '--pg-url':
        args.pgUrl = takeValue();
        break;
      case '--cold-runs':
        args.coldRuns = number('cold-runs', takeValue(), 1, 20);
        break;
      case '--reseed':
        args.reseed = true;
        break;
      case '--seed-only':
        args.seedOnly = true;
        break;
      case '--skip-cold':
        args.skipCold = true;
        break;
      case '--skip-build':
        args.skipBuild = true;
        break;
      case '--profile':
        args.profile = true;
        break;
      case '--web':
        args.web = true;
        break;
      case '--import':
        args.import = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
      default:
        fail(`unknown option ${name}`);
    }
    value = undefined;
  }
  const host = new URL(args.pgUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) fail('--pg-url must point at this machine (127.0.0.1)');
  return args;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

import { type ChildProcess, fork } from 'node:child_process';

/** Messages between the benchmark and the server processes it forks. */
export type ChildRequest =
  | { type: 'capture-start'; id: number }
  | { type: 'capture-stop'; id: number }
  | { type: 'query'; id: number; sql: string; params?: unknown[] }
  /** Spreads the people over `reps` sales reps and answers with one rep's API key. */
  | { type: 'setup-reps'; id: number; reps: number }
  /** The live JavaScript heap after a full collection (the server runs with --expose-gc): what it retains. */
  | { type: 'heap'; id: number }
  | { type: 'close'; id: number };

export interface CapturedQuery {
  query: string;
  params: unknown[];
}

export type ChildReply =
  | { type: 'ready'; url: string; token?: string; pid: number; driver: string }
  | { type: 'ok'; id: number }
  | { type: 'captured'; id: number; queries: CapturedQuery[] }
  | { type: 'rows'; id: number; rows: Record<string, unknown>[] }
  | { type: 'rep'; id: number; token: string; owned: number }
  | { type: 'heap'; id: number; heapMb: number }
  | { type: 'error'; id: number; message: string };

export interface Ready {
  url: string;
  token?: string;
  pid: number;
  driver: string;
}

/** A forked server (it inherits tsx's loader from this process' execArgv). */
export class ServerProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: ChildReply) => void; reject: (error: Error) => void }>();
  private exited = false;

  private constructor(
    readonly child: ChildProcess,
    readonly ready: Ready,
  ) {
    child.on('message', (message: ChildReply) => {
      if (!('id' in message)) return;
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.type === 'error') waiter.reject(new Error(message.message));
      else waiter.resolve(message);
    });
    child.once('exit', () => {
      this.exited = true;
      for (const waiter of this.waiting.values()) waiter.reject(new Error('the server process exited'));
      this.waiting.clear();
    });
  }

  static async start(file: string, env: NodeJS.ProcessEnv, options: { execArgv?: string[]; timeoutMs?: number } = {}): Promise<ServerProcess> {
    const timeoutMs = options.timeoutMs ?? 600_000;
    const child = fork(file, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...(options.execArgv ?? [])] });
    const ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${file} did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      child.on('message', (message: ChildReply) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve(message);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${file} exited with code ${code} before it was ready`));
      });
    });
    return new ServerProcess(child, ready);
  }

  get url(): string {
    return this.ready.url;
  }

  request<T extends ChildReply>(message: Omit<ChildRequest, 'id'> & Record<string, unknown>, timeoutMs = 600_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error('the server process has exited'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer to ${message.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ ...message, id });
    });
  }

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    const reply = await this.request<Extract<ChildReply, { type: 'rows' }>>({ type: 'query', sql, params });
    return reply.rows as T[];
  }

  /** Asks the server to close (database included), then waits for the process to end (bounded). */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request({ type: 'close' }, 30_000);
    } catch {
      /* killed below if it does not end */
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

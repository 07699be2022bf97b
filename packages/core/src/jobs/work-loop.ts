import type { Database } from '@rapport/db';

export interface WorkLoopOptions {
  /** Does one batch of work; returns how many items it handled (0: nothing due). */
  work: () => Promise<number>;
  /** Fallback polling, for retries and missed notifications. */
  pollMs: number;
  /** A NOTIFY channel that means "there is work now". */
  channel?: string;
  onError?: (error: unknown) => void;
}

/**
 * A background worker: repeats `work` while it finds some, then sleeps until a notification on
 * its channel, a poke, or the poll interval. Used by the event dispatcher and the mail sender.
 */
export class WorkLoop {
  private running = false;
  private pending = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly database: Database,
    private readonly options: WorkLoopOptions,
  ) {}

  poke(): void {
    this.pending = true;
    this.wake?.();
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.options.channel) this.unlisten = await this.database.listen(this.options.channel, () => this.poke());
    this.pending = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.unlisten?.();
    this.unlisten = null;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        this.pending = false;
        if ((await this.options.work()) > 0) continue;
      } catch (error) {
        this.options.onError?.(error);
      }
      if (!this.running) break;
      if (this.pending) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}

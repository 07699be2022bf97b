/** How long before its due time an activity's owner is reminded. */
export const REMIND_BEFORE_MS = 15 * 60_000;

/** Seconds to wait before the reminder job runs (0: at once, for what is due within the quarter hour). */
export function reminderDelay(dueAt: string, now = Date.now()): number {
  return Math.max(0, Math.round((new Date(dueAt).getTime() - REMIND_BEFORE_MS - now) / 1000));
}

import type { Logger } from 'pino';
import type { Core } from '@rapport/core';
import type { JobRunner } from '@rapport/jobs';

export const TRASH_PURGE_QUEUE = 'core.trash-purge';

/** Every hour, one server (whichever takes the job) erases the records past their workspace's trash period. */
export async function scheduleTrashPurge(core: Core, jobs: JobRunner, log: Logger): Promise<void> {
  await jobs.schedule(TRASH_PURGE_QUEUE, '40 * * * *');
  await jobs.work(TRASH_PURGE_QUEUE, async () => {
    const report = await core.purgeTrash();
    const erased = report.erased.reduce((sum, entry) => sum + entry.count, 0);
    if (erased > 0) log.info({ erased: report.erased }, `trash: ${erased} records erased after their trash period`);
    return { erased };
  });
}

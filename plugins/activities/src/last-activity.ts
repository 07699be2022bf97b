import type { PluginRecords } from '@rapport/sdk/server';

/** The activity's fields linking it to the records whose last-activity date it keeps. */
export const LINKS = ['company', 'person'];

/**
 * Moves the last-activity date of the records an activity is about to `at`, never back: a late
 * delivery of an older event leaves a newer date alone. As the plugin, which alone writes the field.
 */
export async function stampLastActivity(records: PluginRecords, activity: Record<string, unknown>, at: string): Promise<void> {
  for (const object of LINKS) {
    const id = activity[object];
    if (typeof id === 'string') await records.advance(object, id, 'lastActivityAt', at);
  }
}

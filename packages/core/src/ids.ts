import { uuidv7 } from 'uuidv7';

/** Time-ordered ids: good index locality and stable cursors. */
export const newId = (): string => uuidv7();

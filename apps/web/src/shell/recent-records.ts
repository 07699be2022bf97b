/** The records I opened last, on this browser (a short list for the search palette). */
export interface RecentRecord {
  object: string;
  id: string;
  label: string;
}
const KEY = 'rapport.recent';

export function recentRecords(): RecentRecord[] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '[]') as RecentRecord[];
  } catch {
    return [];
  }
}

export function rememberRecord(record: RecentRecord) {
  const list = [record, ...recentRecords().filter((item) => item.id !== record.id)].slice(0, 8);
  localStorage.setItem(KEY, JSON.stringify(list));
}

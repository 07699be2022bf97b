/** A time of day as typed (`14:30`, `14h30`, `14.30`, `9h`), as `HH:mm`; `undefined` when it is none. */
export function parseTime(text: string): string | undefined {
  const match = /^(\d{1,2})\s*(?:[:h.]\s*(\d{2})?)?$/i.exec(text.trim());
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? '0');
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** An instant as the day (ISO) and the time (`HH:mm`) on this device's clock. */
export function localParts(instant: string): { day: string; time: string } | null {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return null;
  const two = (n: number) => String(n).padStart(2, '0');
  return { day: `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`, time: `${two(date.getHours())}:${two(date.getMinutes())}` };
}

/** The instant of a day and a time on this device's clock. */
export const instantOf = (day: string, time: string) => new Date(`${day}T${time}:00`).toISOString();

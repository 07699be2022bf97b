import { DayPicker } from 'react-day-picker';
import { enGB, fr } from 'react-day-picker/locale';
import 'react-day-picker/style.css';
import type { UiLocale } from './day-text';

const locales = { en: enGB, fr };

/**
 * The month grid a day field opens; loaded on first use, so that no page pays for it up front. Months
 * go by arrows (a year's dropdown would take the focus from the field: far days are typed).
 */
export default function Calendar({ selected, locale, onSelect }: { selected: Date | undefined; locale: UiLocale; onSelect: (day: Date) => void }) {
  const year = new Date().getFullYear();
  return (
    <DayPicker
      className="r-calendar"
      mode="single"
      required
      locale={locales[locale]}
      selected={selected}
      defaultMonth={selected}
      onSelect={onSelect}
      startMonth={new Date(year - 120, 0)}
      endMonth={new Date(year + 20, 11)}
    />
  );
}

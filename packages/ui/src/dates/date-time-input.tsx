import { useEffect, useRef, useState } from 'react';
import { DateInput, type DateInputProps } from './date-input';
import { isIsoDay, type UiLocale } from './day-text';
import { instantOf, localParts, parseTime } from './time-text';

const timeLabel: Record<UiLocale, string> = { en: 'Time', fr: 'Heure' };
const notATime: Record<UiLocale, string> = { en: 'Not a time: write it as 14:30', fr: 'Heure attendue sous la forme 14:30 ou 14h30' };

/**
 * A moment: a day in the user's language and a 24-hour time on this device's clock (a native input
 * follows the browser, AM/PM included). `onChange` gives the ISO instant, null once both are emptied,
 * or the text as typed while it is not a moment. A day without a time is its midnight.
 */
export function DateTimeInput({ value, onChange, locale, ...input }: DateInputProps) {
  const parts = value ? localParts(value) : null;
  const [day, setDay] = useState<string | null>(parts?.day ?? value);
  const [timeText, setTimeText] = useState(parts?.time ?? '');
  const sent = useRef(value);
  useEffect(() => {
    if (value === sent.current) return;
    sent.current = value;
    const next = value ? localParts(value) : null;
    setDay(next?.day ?? value);
    setTimeText(next?.time ?? '');
  }, [value]);
  const send = (nextDay: string | null, nextTime: string) => {
    const time = nextTime.trim() === '' ? '00:00' : parseTime(nextTime);
    const moment = nextDay === null && nextTime.trim() === '' ? null : nextDay && isIsoDay(nextDay) && time ? instantOf(nextDay, time) : `${nextDay ?? ''} ${nextTime}`.trim();
    sent.current = moment;
    onChange(moment);
  };
  const timeInvalid = timeText.trim() !== '' && parseTime(timeText) === undefined;
  return (
    <span className="r-date-time-input">
      <DateInput
        {...input}
        locale={locale}
        value={day}
        onChange={(next) => {
          setDay(next);
          send(next, timeText);
        }}
      />
      <input
        className="r-input r-time-input"
        inputMode="numeric"
        autoComplete="off"
        placeholder="hh:mm"
        aria-label={input['aria-label'] ? `${input['aria-label']} – ${timeLabel[locale].toLowerCase()}` : timeLabel[locale]}
        title={timeInvalid ? notATime[locale] : undefined}
        aria-invalid={timeInvalid || undefined}
        disabled={input.disabled}
        onKeyDown={input.onKeyDown}
        value={timeText}
        onChange={(event) => {
          setTimeText(event.target.value);
          send(day, event.target.value);
        }}
        onBlur={() => {
          const time = parseTime(timeText);
          if (time) setTimeText(time);
        }}
      />
    </span>
  );
}

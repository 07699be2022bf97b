import { CalendarDays } from 'lucide-react';
import { lazy, Suspense, useEffect, useRef, useState, type InputHTMLAttributes } from 'react';
import { createPortal } from 'react-dom';
import { dayPlaceholder, formatDay, parseDay, type UiLocale } from './day-text';

const Calendar = lazy(() => import('./calendar'));

const chooseLabel: Record<UiLocale, string> = { en: 'Choose a date', fr: 'Choisir une date' };
const notADay: Record<UiLocale, string> = { en: 'Not a date: write it as dd/mm/yyyy', fr: 'Date attendue sous la forme jj/mm/aaaa' };
/** The calendar's height, to open it above the field when there is no room under it. */
const CALENDAR_HEIGHT = 330;

export type DateInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  /** The day as stored, `2026-12-05`, or null. */
  value: string | null;
  /**
   * The ISO day, null once emptied, or the text as typed while it is no day of the calendar (so that a
   * form sent as is is refused by the server, naming the field, rather than losing what was typed).
   */
  onChange: (value: string | null) => void;
  /** The user's language: the day is written and read in its order, and the calendar speaks it. */
  locale: UiLocale;
};

/**
 * A day, written in the user's language whatever the browser's (a native date input follows the
 * browser: a French user on an English browser would read mm/dd/yyyy), with a calendar beside it.
 *
 * The calendar opens over the page (a grid's cell would clip it) and never takes the focus, which stays
 * in the field: editors that save when the focus leaves them (the grid, the record page) go on editing
 * while a day is picked. The field is the way in from the keyboard; the calendar is for the pointer.
 */
export function DateInput({ value, onChange, locale, 'aria-invalid': ariaInvalid, ...input }: DateInputProps) {
  const [text, setText] = useState(() => formatDay(value, locale));
  const sent = useRef(value);
  const wrapper = useRef<HTMLSpanElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const [anchor, setAnchor] = useState<DOMRect | null>(null);
  // A value set from outside (a reset, another user's change) replaces what is shown; our own echo does not.
  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setText(formatDay(value, locale));
    }
  }, [value, locale]);
  // The open calendar follows its field when the page scrolls, and closes on Escape or a click elsewhere.
  useEffect(() => {
    if (!anchor) return;
    const follow = () => setAnchor(wrapper.current?.getBoundingClientRect() ?? null);
    const onPointer = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !wrapper.current?.contains(target)) setAnchor(null);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setAnchor(null);
    };
    window.addEventListener('scroll', follow, true);
    window.addEventListener('resize', follow);
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('scroll', follow, true);
      window.removeEventListener('resize', follow);
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [anchor !== null]);
  const typed = parseDay(text, locale);
  const send = (next: string | null) => {
    sent.current = next;
    onChange(next);
  };
  const type = (next: string) => {
    setText(next);
    const day = parseDay(next, locale);
    send(day === undefined ? next : day);
  };
  const pick = (day: Date) => {
    const iso = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    setText(formatDay(iso, locale));
    send(iso);
    setAnchor(null);
  };
  const invalid = typed === undefined;
  const below = anchor ? window.innerHeight - anchor.bottom > CALENDAR_HEIGHT || anchor.top < CALENDAR_HEIGHT : true;
  return (
    <span className="r-date-input" ref={wrapper}>
      <input
        className="r-input"
        inputMode="numeric"
        autoComplete="off"
        placeholder={dayPlaceholder(locale)}
        title={invalid ? notADay[locale] : undefined}
        {...input}
        type="text"
        value={text}
        aria-invalid={invalid || ariaInvalid || undefined}
        onChange={(event) => type(event.target.value)}
        onBlur={(event) => {
          // Tidy what was typed into the locale's way of writing it once the field is left.
          if (typed) setText(formatDay(typed, locale));
          input.onBlur?.(event);
        }}
      />
      <button
        type="button"
        className="r-date-input-button"
        aria-label={chooseLabel[locale]}
        title={chooseLabel[locale]}
        aria-expanded={anchor !== null}
        disabled={input.disabled}
        tabIndex={-1}
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => setAnchor(anchor ? null : (wrapper.current?.getBoundingClientRect() ?? null))}
      >
        <CalendarDays size={16} aria-hidden />
      </button>
      {anchor
        ? createPortal(
            <div
              ref={panel}
              className="r-popover r-calendar-popover"
              style={{ position: 'fixed', right: Math.max(8, window.innerWidth - anchor.right), ...(below ? { top: anchor.bottom + 4 } : { bottom: window.innerHeight - anchor.top + 4 }) }}
              onMouseDown={(event) => {
                // Keep the focus in the field, and a click here from closing a popover the field is in.
                event.preventDefault();
                event.stopPropagation();
              }}
            >
              <Suspense fallback={<div className="r-calendar-loading" />}>
                <Calendar locale={locale} selected={typed ? new Date(`${typed}T00:00:00`) : undefined} onSelect={pick} />
              </Suspense>
            </div>,
            // Inside an open modal dialog, since the page around it is inert.
            wrapper.current?.closest('dialog') ?? document.body,
          )
        : null}
    </span>
  );
}

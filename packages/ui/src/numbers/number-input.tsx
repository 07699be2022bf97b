import { useEffect, useRef, useState, type InputHTMLAttributes } from 'react';
import type { UiLocale } from '../dates/day-text';
import { formatNumber, parseNumber } from './number-text';

const notANumber: Record<UiLocale, string> = { en: 'Not a number: write it as 1234.5', fr: 'Nombre attendu, par exemple 1234,5' };

export type NumberInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  /** The number, or the text a previous `onChange` gave back while it was no number. */
  value: number | string | null;
  /** The number, null once emptied, or the text as typed while it is no number (the server then refuses it on its field). */
  onChange: (value: number | string | null) => void;
  /** The user's language: the decimal mark the number is shown with. */
  locale: UiLocale;
};

/**
 * A number typed the way the user writes it: `12,5` or `12.5`, `1 234,5`. A browser's number input
 * follows the browser's language and drops what it does not read (a French `12,5` became 125).
 */
export function NumberInput({ value, onChange, locale, 'aria-invalid': ariaInvalid, ...input }: NumberInputProps) {
  const shown = (current: number | string | null) => (typeof current === 'string' ? current : formatNumber(current, locale));
  const [text, setText] = useState(() => shown(value));
  const sent = useRef<number | string | null>(value);
  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setText(shown(value));
    }
  }, [value, locale]);
  const typed = parseNumber(text, locale);
  return (
    <input
      className="r-input"
      inputMode="decimal"
      autoComplete="off"
      title={typed === undefined ? notANumber[locale] : undefined}
      {...input}
      type="text"
      value={text}
      aria-invalid={typed === undefined || ariaInvalid || undefined}
      onChange={(event) => {
        setText(event.target.value);
        const next = parseNumber(event.target.value, locale);
        sent.current = next === undefined ? event.target.value : next;
        onChange(sent.current);
      }}
    />
  );
}

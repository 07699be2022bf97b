import { Input, Select } from '@rapport/ui';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n';

import { loadPhones, type Phones } from './phone-library';

/**
 * A phone number typed as people write it ("06 12 34 56 78", "(415) 555-0100") with its country;
 * sent as E.164 when it parses, as typed otherwise (the server then says what is wrong).
 */
export function PhoneInput({ value, onChange, defaultCountry, ...common }: { value: string | null; onChange: (value: unknown) => void; defaultCountry?: string; onKeyDown?: (event: KeyboardEvent) => void } & Record<string, unknown>) {
  const { t, locale } = useI18n();
  const [library, setLibrary] = useState<Phones | null>(null);
  const [country, setCountry] = useState(defaultCountry ?? 'FR');
  const [text, setText] = useState(value ?? '');
  // The value as it was when editing began: shown in its country's format once the library is there.
  const initial = useRef(value);
  useEffect(() => {
    void loadPhones().then((loaded) => {
      setLibrary(loaded);
      const parsed = initial.current ? loaded.parsePhoneNumberFromString(initial.current) : undefined;
      if (parsed?.country) {
        setCountry(parsed.country);
        setText(parsed.formatNational());
      }
    });
  }, []);
  const countries = useMemo(() => {
    if (!library) return [country];
    const names = new Intl.DisplayNames([locale], { type: 'region' });
    return library.getCountries().sort((a, b) => (names.of(a) ?? a).localeCompare(names.of(b) ?? b, locale));
  }, [library, locale, country]);
  const names = useMemo(() => new Intl.DisplayNames([locale], { type: 'region' }), [locale]);
  const emit = (nextText: string, nextCountry: string) => {
    if (!nextText.trim()) return onChange(null);
    const parsed = library?.parsePhoneNumberFromString(nextText, nextCountry as never);
    onChange(parsed?.isValid() ? parsed.number : nextText);
  };
  return (
    <div style={{ display: 'grid', gridTemplateColumns: '120px 1fr', gap: 6 }}>
      <Select aria-label={t('form.country')} value={country} onChange={(event) => { setCountry(event.target.value); emit(text, event.target.value); }}>
        {countries.map((code) => (
          <option key={code} value={code}>{library ? `${names.of(code) ?? code} +${library.getCountryCallingCode(code as never)}` : code}</option>
        ))}
      </Select>
      <Input {...common} type="tel" value={text} onChange={(event) => { setText(event.target.value); emit(event.target.value, country); }} />
    </div>
  );
}

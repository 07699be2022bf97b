import { useEffect, useState } from 'react';

export type Phones = typeof import('libphonenumber-js/min');

let loaded: Phones | undefined;
let loading: Promise<Phones> | undefined;

/** libphonenumber-js is loaded when a phone is first shown or edited, not with the shell. */
export const loadPhones = () => (loading ??= import('libphonenumber-js/min').then((module) => (loaded = module)));

/** The phone library once it is loaded (null until then); the component renders again when it is. */
export function usePhones(): Phones | null {
  const [phones, setPhones] = useState<Phones | null>(loaded ?? null);
  useEffect(() => {
    if (!phones) void loadPhones().then(setPhones);
  }, [phones]);
  return phones;
}

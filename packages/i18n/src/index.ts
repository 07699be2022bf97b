export { en, type MessageKey } from './catalogues/en';
export { fr } from './catalogues/fr';
export { translator, type Translate, type Locale, LOCALES, localize, pickLocale } from './translate';
export { formatters, type Formatters, type Money } from './format';

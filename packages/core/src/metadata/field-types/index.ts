import type { FieldTypeName } from '../types';
import type { FieldType } from './field-type';
import { booleanType, multiSelectType, selectType } from './choice';
import { currencyType, numberType, ratingType } from './numeric';
import { relationType } from './relation';
import { addressType, jsonType } from './structured';
import { dateType, datetimeType } from './temporal';
import { emailType, longTextType, phoneType, textType, urlType } from './text-like';

export type { FieldType, ValueKind, Subfield } from './field-type';
export { currencyCode } from './numeric';
export { isoDate, isoDateTime } from './temporal';

export const fieldTypes: Record<FieldTypeName, FieldType> = {
  text: textType,
  longText: longTextType,
  number: numberType,
  currency: currencyType,
  boolean: booleanType,
  date: dateType,
  datetime: datetimeType,
  email: emailType,
  phone: phoneType,
  url: urlType,
  select: selectType,
  multiSelect: multiSelectType,
  relation: relationType,
  rating: ratingType,
  address: addressType,
  json: jsonType,
};

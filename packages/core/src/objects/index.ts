import type { ObjectDeclaration } from '../metadata/declare';
import { companyObject } from './company';
import { personObject } from './person';

/** The objects the core declares; plugins add theirs. */
export const coreObjects: ObjectDeclaration[] = [companyObject, personObject];
export { companyObject, personObject };

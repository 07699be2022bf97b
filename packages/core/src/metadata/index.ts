export * from './declare';
export * from './definition-schemas';
export * from './field-types';
export * from './registry';
export * from './types';
export * from './workspace-metadata';
export * from './declared-objects';
export * from './declared-fields';

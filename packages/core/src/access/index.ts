export * from './access';
export * from './access-resolver';
export * from './actor';
export * from './presets';
export * from './role-definition';

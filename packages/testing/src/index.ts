export * from './describe-db';
export * from './test-core';
export * from './test-database';
export * from './test-server';
export * from './smtp-sink';
export * from './oidc-provider';
export { importPluginFolder } from '@rapport/server';
export * from './test-host';
export * from './eventually';

export * from './manifest';
export * from './server';

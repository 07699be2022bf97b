export * from './dispatcher';
export * from './outbox-writer';

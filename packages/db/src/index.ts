export * from './database';
export * from './data-dir-lock';
export * from './migrations';
export * from './open';
export * from './pglite';
export * from './postgres';

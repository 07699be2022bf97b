export * from './problem';
export * from './zod-problems';

export * from './constants.js';
export * from './errors.js';
export type * from './records.js';

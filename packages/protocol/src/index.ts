export * from './constants.js';
export type * from './records.js';

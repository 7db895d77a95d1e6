/**
 * Helpers for sibling packages (`@zkts/testing`, tests); not part of the public API.
 * @module
 */
export { findFreePort } from './ensemble/free-port.js';

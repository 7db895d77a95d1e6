/**
 * `#websocket` for browsers: the platform's global WebSocket, so bundles carry no `ws` code.
 * @module
 */
import type { WebSocketConstructor } from './websocket-like.js';

/** The WebSocket implementation the transport instantiates; undefined where the platform has none. */
export const WebSocketImpl: WebSocketConstructor | undefined = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;

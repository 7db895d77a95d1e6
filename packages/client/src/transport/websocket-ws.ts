/**
 * `#websocket` for Node: the `ws` package, since Node 20 has no global WebSocket.
 * @module
 */
import WebSocket from 'ws';
import type { WebSocketConstructor } from './websocket-like.js';

/** The WebSocket implementation the transport instantiates. */
export const WebSocketImpl: WebSocketConstructor | undefined = WebSocket as unknown as WebSocketConstructor;

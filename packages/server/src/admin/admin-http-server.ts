import { createServer, type Server } from 'node:http';

/** Answers one admin command with a JSON-able object, or undefined for an unknown command. */
export type AdminCommandHandler = (command: string) => Record<string, unknown> | undefined;

/** JSON cannot hold bigints; session ids and zxids are written as hex strings, as ZooKeeper prints them. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `0x${BigInt.asUintN(64, item).toString(16)}` : item), 2);
}

/**
 * The HTTP admin endpoint, shaped like ZooKeeper's AdminServer:
 * `GET /commands/<name>` answers JSON with the same figures as the
 * four-letter words (`stat`, `srvr`, `mntr`, `conf`, `cons`, `wchs`, `ruok`,
 * `isro`, plus `hash`, the tree digest), and `GET /commands` lists them.
 */
export class AdminHttpServer {
  private readonly server: Server;

  constructor(
    private readonly commands: readonly string[],
    handler: AdminCommandHandler,
  ) {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const match = /^\/commands\/?([a-z_]*)$/.exec(url.pathname);
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(toJson(body));
      };
      if (request.method !== 'GET' || match === null) return send(404, { error: `no such endpoint: ${url.pathname}` });
      const command = match[1] ?? '';
      if (command === '') return send(200, { commands: this.commands });
      const answer = this.commands.includes(command) ? handler(command) : undefined;
      if (answer === undefined) return send(404, { command, error: `unknown command: ${command}` });
      send(200, { command, ...answer, error: null });
    });
  }

  /** Binds; resolves with the bound port (0 picks a free one). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

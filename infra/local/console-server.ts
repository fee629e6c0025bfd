// Serves the built console the way CloudFront does on AWS: static files, index.html for every app URL (so a
// bookmarked or emailed transfer link opens), /config.json with this cloud's settings, and the same security
// headers. The configuration is settled after the identity provider has its port, hence the setter.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import sirv from 'sirv';
import {
  CONSOLE_CONFIG_PATH,
  type ConsoleConfig,
  consoleSecurityHeaders,
  contentSecurityPolicy,
} from '#console/hosting.ts';
import { listen } from './listen.ts';

function notBuilt(_request: IncomingMessage, response: ServerResponse) {
  response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
  response.end('The console is not built in this run. `npm start` builds it; tests pass consoleDir.');
}

export interface RunningConsoleServer {
  url: string;
  configure(config: ConsoleConfig): void;
  close(): Promise<void>;
}

export async function startConsoleServer(options: {
  host: string;
  port: number;
  /** The folder vite built the console into; absent: a page that says how to build it. */
  dir?: string;
}): Promise<RunningConsoleServer> {
  let config: ConsoleConfig | undefined;
  let headers: Record<string, string> = {};
  const serveFiles = options.dir
    ? sirv(options.dir, {
        single: true,
        etag: true,
        setHeaders: (response, pathname) => {
          // Hashed assets never change; index.html must always be fetched fresh to pick up a new build.
          response.setHeader(
            'cache-control',
            pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      })
    : notBuilt;
  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === CONSOLE_CONFIG_PATH) {
      response.writeHead(config ? 200 : 503, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      response.end(JSON.stringify(config ?? { message: 'The local cloud is still starting.' }));
      return;
    }
    serveFiles(request, response);
  });
  const port = await listen(server, options.host, options.port, 'Console');
  return {
    url: `http://${options.host}:${port}`,
    configure(next) {
      config = next;
      const origins = [next.apiUrl, next.authority, ...(next.metadataUrl ? [next.metadataUrl] : [])].map(
        (url) => new URL(url).origin,
      );
      // Locally there is no TLS, so HSTS would only confuse the browser.
      const { 'strict-transport-security': _hsts, ...rest } = consoleSecurityHeaders(
        contentSecurityPolicy(origins),
      );
      headers = rest;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

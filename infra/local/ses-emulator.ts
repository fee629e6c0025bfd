// SES emulator (aws-ses-v2-local): SES v1 SendEmail on POST /, a page listing sent mail on GET /.

import type { Server } from 'node:http';
import { createServer } from 'node:net';
import * as sesServerModule from 'aws-ses-v2-local';
import { listen } from './listen.ts';

export interface RunningSesEmulator {
  url: string;
  /** The HTTP server, for the local cloud's emulator fault injection. */
  server: Server;
  close(): Promise<void>;
}

/** aws-ses-v2-local never reports a busy port, so the port is probed first to fail with a clear message. */
async function reservePort(host: string, port: number): Promise<number> {
  const probe = createServer();
  const bound = await listen(probe, host, port, 'SES');
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return bound;
}

type StartSesServer = (config: { host: string; port: number }) => Promise<Server>;

/** The package is CommonJS with `exports.default`: Node's ESM loader and bundlers expose it differently. */
function resolveStartSesServer(): StartSesServer {
  const candidate = sesServerModule.default as unknown as StartSesServer | { default: StartSesServer };
  return typeof candidate === 'function' ? candidate : candidate.default;
}

export async function startSesEmulator(host: string, port: number): Promise<RunningSesEmulator> {
  const bound = await reservePort(host, port);
  const server: Server = await resolveStartSesServer()({ host, port: bound });
  return {
    url: `http://${host}:${bound}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

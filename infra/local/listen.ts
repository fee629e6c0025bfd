// Binds a server to a port with a clear message when the port is taken (instead of an EADDRINUSE trace).
import type { Server } from 'node:net';

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

export function listen(server: Server, host: string, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new PortInUseError(
            `${what}: port ${port} on ${host} is already in use. Stop whatever uses it, or choose another port (see --help).`,
          ),
        );
      } else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

// A TCP proxy in front of the local API that can drop the connection of chosen requests after the API has answered
// them: the API acts, the client sees a network error. What a lost response looks like to a partner system.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface DroppingProxy {
  url: string;
  /** Drop the answer of the next `count` requests whose request line starts with `method`. */
  dropNextAnswers(method: string, count: number): void;
  /** Request lines (`POST /v1/...`) that went through, dropped or not. */
  readonly requestLines: string[];
  close(): Promise<void>;
}

export async function startDroppingProxy(upstreamUrl: string): Promise<DroppingProxy> {
  const upstream = new URL(upstreamUrl);
  const drops = new Map<string, number>();
  const requestLines: string[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    const api = connect(Number(upstream.port), upstream.hostname);
    sockets.add(client).add(api);
    let dropAnswer = false;
    client.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      const requestLine = /^(GET|POST|PATCH|DELETE|PUT) (\S+)/.exec(text);
      if (requestLine) {
        requestLines.push(`${requestLine[1]} ${requestLine[2]}`);
        const left = drops.get(requestLine[1] ?? '') ?? 0;
        if (left > 0) {
          drops.set(requestLine[1] ?? '', left - 1);
          dropAnswer = true;
        }
      }
      api.write(chunk);
    });
    api.on('data', (chunk) => {
      if (dropAnswer) {
        client.destroy();
        api.destroy();
        return;
      }
      client.write(chunk);
    });
    const closeBoth = () => {
      client.destroy();
      api.destroy();
      sockets.delete(client);
      sockets.delete(api);
    };
    client.on('close', closeBoth).on('error', closeBoth);
    api.on('close', closeBoth).on('error', closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requestLines,
    dropNextAnswers(method, count) {
      drops.set(method, (drops.get(method) ?? 0) + count);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

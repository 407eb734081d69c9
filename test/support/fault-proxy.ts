/**
 * A TCP proxy on loopback between the app and a real server (PostgreSQL), that a test can freeze
 * (connections stay open, no byte passes: a hung server), mute (requests reach the server and run,
 * its answers are held: a server that froze right after executing) or stop (new connections
 * refused, open ones cut: a server that went away), then resume.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  port: number;
  freeze(): void;
  mute(): void;
  stop(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let frozen = false;
  let muted = false;
  let server: Server | undefined;
  let port = 0;
  const pairs = new Set<[Socket, Socket]>();
  const held: Array<() => void> = [];

  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      const forward = (from: Socket, to: Socket, answers: boolean) =>
        from.on('data', (chunk: Buffer) => {
          if (!frozen && !(answers && muted)) return void to.write(chunk);
          // Held until resume: a frozen server answers nothing and loses nothing.
          from.pause();
          held.push(() => {
            to.write(chunk);
            from.resume();
          });
        });
      forward(client, upstream, false);
      forward(upstream, client, true);
      const end = () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => (server as Server).listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const closeServer = async () => {
    const s = server;
    server = undefined;
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  return {
    get port() {
      return port;
    },
    freeze() {
      frozen = true;
    },
    mute() {
      muted = true;
    },
    async stop() {
      await closeServer();
    },
    async resume() {
      frozen = false;
      muted = false;
      for (const release of held.splice(0)) release();
      if (!server) await listen();
    },
    close: closeServer,
  };
}

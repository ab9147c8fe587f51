import net from 'node:net';

/**
 * A TCP forwarder in front of a real server (the test Postgres), so a test can take the
 * "database" away and give it back without touching the server: `cut()` drops every connection
 * and refuses new ones (a brain outage as the bots see it), `restore()` forwards again, and
 * `hold(ms)` delays traffic in both directions (a slow reconnect or a long round trip).
 */
export interface TcpForwarder {
  /** The local port to point clients at. */
  port: number;
  /** Replace host:port in a URL with the forwarder's. */
  urlFor(url: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /**
   * Stall the link: nothing passes until `ms` from now (then everything held flows, in order),
   * both ways or only toward the server (`upstream`: a slow reconnect — the query reaches the
   * database late). 0 lifts a stall.
   */
  hold(ms: number, direction?: 'both' | 'upstream'): void;
  close(): Promise<void>;
}

/** Start a forwarder on a free loopback port to upstream host:port. */
export async function startTcpForwarder(upstream: { host: string; port: number }): Promise<TcpForwarder> {
  const sockets = new Set<net.Socket>();
  let releaseAt = 0;
  let delayDirection: 'both' | 'upstream' = 'both';
  const relay = (from: net.Socket, to: net.Socket, towardServer: boolean) =>
    from.on('data', (chunk: Buffer) => {
      const wait = releaseAt - Date.now();
      if (wait <= 0 || (delayDirection === 'upstream' && !towardServer)) to.write(chunk);
      else {
        from.pause();
        setTimeout(() => {
          to.write(chunk);
          from.resume();
        }, wait);
      }
    });
  const onConnection = (client: net.Socket) => {
    const server = net.connect(upstream.port, upstream.host);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        server.destroy();
      });
    }
    relay(client, server, true);
    relay(server, client, false);
    client.on('end', () => server.end());
    server.on('end', () => client.end());
  };
  let listener: net.Server | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const created = net.createServer(onConnection);
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => {
        listener = created;
        resolve((created.address() as net.AddressInfo).port);
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      const current = listener;
      listener = undefined;
      for (const socket of sockets) socket.destroy();
      if (current === undefined) resolve();
      else current.close(() => resolve());
    });
  const port = await listen(0);
  return {
    port,
    urlFor(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    cut: stopListening,
    async restore() {
      if (listener === undefined) await listen(port);
    },
    hold(ms, direction = 'both') {
      releaseAt = ms === 0 ? 0 : Date.now() + ms;
      delayDirection = direction;
    },
    close: stopListening,
  };
}

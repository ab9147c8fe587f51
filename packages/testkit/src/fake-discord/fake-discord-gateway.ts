import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

/** One connected, identified gateway session. */
export interface GatewaySession {
  id: string;
  socket: WebSocket;
  sequence: number;
  identified: boolean;
}

/** Gateway opcodes the fake speaks. */
const OP = { dispatch: 0, heartbeat: 1, identify: 2, resume: 6, invalidSession: 9, hello: 10, heartbeatAck: 11 } as const;

/**
 * The gateway half of the fake: HELLO on connect, READY after IDENTIFY, an ACK per heartbeat,
 * and dispatches (INTERACTION_CREATE) to every identified session — as Discord does for
 * several sessions of one bot token.
 */
export class FakeDiscordGateway {
  readonly sessions = new Set<GatewaySession>();
  /** Connections accepted since the start (each login or reconnect opens one). */
  connections = 0;
  private readonly server: WebSocketServer;
  // While silent, new connections are accepted and then left without HELLO: a gateway that does not answer.
  private silent = false;

  constructor(
    httpServer: http.Server,
    private readonly identity: { token: () => string | undefined; user: Record<string, unknown>; applicationId: string; url: () => string },
  ) {
    this.server = new WebSocketServer({ server: httpServer, path: '/gateway' });
    this.server.on('connection', (socket) => this.accept(socket));
  }

  /** Identified sessions right now. */
  get readyCount(): number {
    return [...this.sessions].filter((session) => session.identified && session.socket.readyState === session.socket.OPEN).length;
  }

  /** Send an event to every identified session; returns how many got it. */
  dispatch(type: string, data: unknown): number {
    let sent = 0;
    for (const session of this.sessions) {
      if (!session.identified || session.socket.readyState !== session.socket.OPEN) continue;
      session.sequence += 1;
      session.socket.send(JSON.stringify({ op: OP.dispatch, t: type, s: session.sequence, d: data }));
      sent += 1;
    }
    return sent;
  }

  /**
   * Kill every connection, as when Discord's edge or the network drops them. With `silent`, new
   * connections get no HELLO until `answer()`: the gateway stays away and clients cannot resume.
   */
  kill(options: { silent?: boolean } = {}): void {
    if (options.silent === true) this.silent = true;
    for (const session of this.sessions) session.socket.terminate();
  }

  /** Answer connections again (HELLO on connect); the silent ones already open are dropped so clients reconnect. */
  answer(): void {
    this.silent = false;
    for (const session of this.sessions) if (!session.identified) session.socket.terminate();
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const session: GatewaySession = { id: randomUUID(), socket, sequence: 0, identified: false };
    this.sessions.add(session);
    this.connections += 1;
    socket.on('close', () => this.sessions.delete(session));
    if (this.silent) return;
    socket.on('message', (raw) => {
      let packet: { op: number; d: unknown };
      try {
        packet = JSON.parse(String(raw)) as { op: number; d: unknown };
      } catch {
        socket.close(4002, 'Decode error');
        return;
      }
      this.handle(session, packet);
    });
    socket.send(JSON.stringify({ op: OP.hello, d: { heartbeat_interval: 41_250 } }));
  }

  private handle(session: GatewaySession, packet: { op: number; d: unknown }): void {
    switch (packet.op) {
      case OP.heartbeat:
        session.socket.send(JSON.stringify({ op: OP.heartbeatAck }));
        return;
      case OP.identify: {
        const token = (packet.d as { token?: string }).token?.replace(/^Bot /, '');
        const expected = this.identity.token();
        if (expected !== undefined && token !== expected) {
          session.socket.close(4004, 'Authentication failed');
          return;
        }
        session.identified = true;
        session.sequence += 1;
        session.socket.send(
          JSON.stringify({
            op: OP.dispatch,
            t: 'READY',
            s: session.sequence,
            d: {
              v: 10,
              user: this.identity.user,
              guilds: [],
              session_id: session.id,
              resume_gateway_url: this.identity.url(),
              shard: [0, 1],
              application: { id: this.identity.applicationId, flags: 0 },
            },
          }),
        );
        return;
      }
      case OP.resume:
        // Resumes are not kept: the client re-identifies, as after a real session expiry.
        session.socket.send(JSON.stringify({ op: OP.invalidSession, d: false }));
        return;
      default:
        return;
    }
  }
}

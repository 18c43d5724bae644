import type { ClientMessage, ServerMessage } from '../server/protocol.ts';

/**
 * How the viewer reaches the live simulation: a WebSocket to the server that served the page
 * (connection.ts), or the simulation itself running in the page's Web Workers (runtime/web).
 * Either way the viewer speaks the same protocol (PROTOCOL.md): it says hello once the transport
 * is open and receives every server message decoded and validated.
 */
export interface Transport {
  onMessage: (m: ServerMessage) => void;
  onState: (state: 'connecting' | 'open' | 'closed', detail: string) => void;
  /** Bytes sent and not yet taken by the other side (the camera skips frames when it is high). */
  readonly bufferedAmount: number;
  /** Whether a closed transport connects again by itself. */
  readonly reconnects: boolean;
  connect(): void;
  send(m: ClientMessage): void;
  close(): void;
}

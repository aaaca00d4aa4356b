/**
 * Type-checking stand-in for the `cloudflare:workers` module, which only workerd provides (the
 * import map points `deno check` here; bundlers leave the import to the runtime). It declares the
 * little of the real API that this project uses.
 *
 * @module
 */

/** A row cursor of the SQLite storage API. */
export interface SqlCursor<Row> {
  /** Every row. */
  toArray(): Row[];
  /** The single row (throws unless there is exactly one). */
  one(): Row;
  /** Rows the statement wrote. */
  readonly rowsWritten: number;
}

/** The state of one Durable Object: its storage. */
export interface DurableObjectState {
  /** Storage: SQL, alarms. */
  readonly storage: {
    readonly sql: {
      exec<Row = Record<string, unknown>>(query: string, ...bindings: unknown[]): SqlCursor<Row>;
    };
    getAlarm(): Promise<number | null>;
    setAlarm(scheduledTime: number): Promise<void>;
  };
  /** Holds a server WebSocket through hibernation. */
  acceptWebSocket(socket: WebSocket): void;
  /** The WebSockets it holds. */
  getWebSockets(): WebSocket[];
}

declare global {
  /** workerd's pair of connected WebSockets: the client end is returned, the server end kept. */
  class WebSocketPair {
    /** The end returned to the caller. */
    0: WebSocket;
    /** The end the worker keeps. */
    1: WebSocket;
  }
}

/** Base class of Durable Objects with RPC methods. */
export class DurableObject<Env = unknown> {
  /** The object's state. */
  protected ctx: DurableObjectState;
  /** The worker's bindings. */
  protected env: Env;
  /** @param ctx State. @param env Bindings. */
  constructor(ctx: DurableObjectState, env: Env) {
    this.ctx = ctx;
    this.env = env;
  }
}

/**
 * The types of the `cloudflare:workers` module, which only workerd provides: the little of its
 * API that the Durable Object classes use. The classes import the module itself (the platform
 * supplies it at run time; bundlers leave the import alone) and take its types from here
 * (`@ts-types`), so that type checks, the docs and the published package need no Cloudflare
 * package. Types only: nothing here runs.
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

/** The state of one Durable Object: its storage, and the WebSockets it holds. */
export interface DurableObjectState {
  /** Storage: SQL, alarms. */
  readonly storage: {
    /** The object's SQLite database. */
    readonly sql: {
      /** Runs a statement. */
      exec<Row = Record<string, unknown>>(query: string, ...bindings: unknown[]): SqlCursor<Row>;
    };
    /** When the alarm is set for, Unix ms, or `null`. */
    getAlarm(): Promise<number | null>;
    /** Sets the alarm, Unix ms. */
    setAlarm(scheduledTime: number): Promise<void>;
  };
  /** Holds a server WebSocket through hibernation. */
  acceptWebSocket(socket: WebSocket): void;
  /** The WebSockets it holds. */
  getWebSockets(): WebSocket[];
}

/**
 * The type of workerd's `DurableObject`, the base class of Durable Objects with RPC methods, as
 * far as the classes here use it. A type only: the class itself is `cloudflare:workers`'s.
 */
export declare class DurableObject<Env = unknown> {
  /** The object's state. */
  protected ctx: DurableObjectState;
  /** The worker's bindings. */
  protected env: Env;
  /**
   * Called by workerd when the object starts.
   *
   * @param ctx State.
   * @param env Bindings.
   */
  constructor(ctx: DurableObjectState, env: Env);
}

/**
 * What serving an action needs beyond its catalog entry, imported on the action's first request:
 * its definition (its schemas, and valibot with them), the body reader and the transport. None of
 * it is loaded when a gateway starts, which every new isolate would pay for, on Workers and on
 * Deno Deploy alike.
 *
 * @module
 */

import type { ActionDefinition, CatalogEntry } from "../../action.ts";

/** An action's modules, once loaded. */
export interface ActionModules {
  /** The action's definition. */
  definition: ActionDefinition;
  /** Parses and validates a body against a definition. */
  readActionBody: typeof import("../../action.ts")["readActionBody"];
  /** Sends a request upstream. */
  send: typeof import("../../transport.ts")["send"];
}

/** Loads an action's modules; the same promise for every request of the action. */
export type ActionLoader = (action: CatalogEntry) => Promise<ActionModules>;

/**
 * Creates a loader that imports each action's modules once (a failed import is tried again by
 * the next request).
 *
 * @returns The loader.
 */
export function createActionLoader(): ActionLoader {
  const loaded = new Map<string, Promise<ActionModules>>();
  return (action) => {
    let modules = loaded.get(action.name);
    if (!modules) {
      modules = Promise.all([
        action.load(),
        import("../../action.ts"),
        import("../../transport.ts"),
      ]).then(([definition, { readActionBody }, { send }]) => ({
        definition,
        readActionBody,
        send,
      }));
      loaded.set(action.name, modules);
      modules.catch(() => loaded.delete(action.name));
    }
    return modules;
  };
}

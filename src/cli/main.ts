#!/usr/bin/env node
/**
 * The `wangsu` command, for Deno (`deno run -A jsr:@wangsu/sdk/cli <action> ...`) and Node (the
 * npm package's `bin`: `npx @wangsu/sdk <action> ...`). Run with `--help` for the actions.
 *
 * @module
 */

import { runCli } from "./run.ts";

interface Runtime {
  Deno?: {
    args: string[];
    env: { get(name: string): string | undefined };
    stdout: { writeSync(bytes: Uint8Array): number };
    stderr: { isTerminal(): boolean; writeSync(bytes: Uint8Array): number };
    exit(code: number): never;
  };
  process?: {
    argv: string[];
    env: Record<string, string | undefined>;
    stdout: { write(text: string): boolean };
    stderr: { write(text: string): boolean; isTTY?: boolean };
    exitCode?: number;
  };
}

const { Deno: deno, process: node } = globalThis as Runtime;
const encoder = new TextEncoder();
const write = (stream: "stdout" | "stderr") => (text: string) => {
  if (!deno) return void node![stream].write(text);
  const bytes = encoder.encode(text);
  for (let done = 0; done < bytes.length;) done += deno[stream].writeSync(bytes.subarray(done));
};
const code = await runCli(deno ? deno.args : node!.argv.slice(2), {
  stdout: write("stdout"),
  stderr: write("stderr"),
  env: (name) => {
    try {
      return deno ? deno.env.get(name) : node!.env[name];
    } catch {
      return undefined;
    }
  },
  stderrIsTerminal: deno ? deno.stderr.isTerminal() : !!node!.stderr.isTTY,
}, "wangsu");
if (deno) deno.exit(code);
else node!.exitCode = code;

/**
 * Helpers of the tests that run the project's commands as a newcomer would (`deno task start`,
 * the command lines of the README and the guides): ports for the demo, a PATH of chosen commands, a copy of a clone.
 *
 * @module
 */

/**
 * A port on 127.0.0.1 that is free, with the next one free too (the demo serves its simulator on
 * `PORT + 1`). Chosen below the kernel's ephemeral range (32768 and up on Linux), where
 * outgoing connections take their local ports, so that neither is taken before the demo binds.
 */
export function freePortPair(): number {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const listeners: Deno.Listener[] = [];
    try {
      for (const p of [port, port + 1]) {
        listeners.push(Deno.listen({ hostname: "127.0.0.1", port: p }));
      }
      return port;
    } catch {
      // taken: try another pair
    } finally {
      for (const listener of listeners) listener.close();
    }
  }
}

/** Where `name` is on this process's PATH, if anywhere. */
export function which(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
}

/** A new directory holding only the given commands (symbolic links), to be a PATH. */
export async function pathWith(commands: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "wangsu-path-" });
  for (const [name, target] of Object.entries(commands)) {
    await Deno.symlink(target, `${dir}/${name}`);
  }
  return dir;
}

/** Copies the directory `from` into `to`, recursively. */
export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else if (entry.isFile) await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}

/** Bytes of the files under `path`, symbolic links not followed. */
export async function treeBytes(path: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(path)) {
    const child = `${path}/${entry.name}`;
    if (entry.isDirectory) total += await treeBytes(child);
    else if (entry.isFile) total += (await Deno.lstat(child)).size;
  }
  return total;
}

/**
 * Reads `stream` until `done(text)` holds or it ends; returns what was read. The caller's own
 * deadline (the test's) bounds a hang.
 */
export async function readUntil(
  reader: ReadableStreamDefaultReader<string>,
  done: (text: string) => boolean,
): Promise<string> {
  let text = "";
  while (!done(text)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += value;
  }
  return text;
}

/**
 * The ```sh block whose first line is `# <title>...` in the document at `path` (from the project
 * root: `README.md`, `docs/deployment.md`), as a newcomer would paste it: the list indentation
 * removed.
 */
export async function docBlock(path: string, title: string): Promise<string> {
  const text = await Deno.readTextFile(new URL(`../../${path}`, import.meta.url));
  for (const [, indent, body] of text.matchAll(/^( *)```sh\n([\s\S]*?)^\1```$/gm)) {
    const lines = body.split("\n").map((line) => line.slice(indent.length)).join("\n");
    if (lines.startsWith(`# ${title}`)) return lines;
  }
  throw new Error(`no sh block starting "# ${title}" in ${path}`);
}

/**
 * A copy of the clone's files that `paths` name (files or directories, from the project root),
 * without node_modules: what `git clone` gives, for the commands that install what they need.
 */
export async function cloneCopy(paths: string[]): Promise<string> {
  const root = new URL("../../", import.meta.url).pathname;
  const dir = await Deno.makeTempDir({ prefix: "wangsu-clone-" });
  for (const path of paths) {
    const from = `${root}${path}`;
    if ((await Deno.stat(from)).isDirectory) await copyTree(from, `${dir}/${path}`);
    else {
      await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
      await Deno.copyFile(from, `${dir}/${path}`);
    }
  }
  return dir;
}

/** A shell script started in a session of its own (so stopping it stops all it started). */
export interface RunningScript {
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once the output matches `pattern` (rejects if the script ends first). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the script's status once it ends by itself. */
  finished: Promise<Deno.CommandStatus>;
  /** Sends `signal` to every process of the session and waits for the script to end. */
  stop(signal?: Deno.Signal): Promise<void>;
}

/** Runs `script` with bash in `cwd`, with `env` only, in a new session (`setsid`). */
export function runScript(
  script: string,
  options: { cwd: string; env: Record<string, string> },
): RunningScript {
  const setsid = which("setsid"), bash = which("bash");
  if (!setsid || !bash) throw new Error("setsid and bash are needed");
  const child = new Deno.Command(setsid, {
    args: [bash, "-c", script],
    cwd: options.cwd,
    env: options.env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const listeners = new Set<() => void>();
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      for (const listener of listeners) listener();
    }
  };
  const collecting = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let ended = false;
  const status = child.status.then((s) => {
    ended = true;
    for (const listener of listeners) listener();
    return s;
  });
  return {
    finished: Promise.all([status, collecting]).then(([s]) => s),
    output: () => text,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) {
            listeners.delete(check);
            resolve(match);
          } else if (ended) {
            listeners.delete(check);
            reject(new Error(`the script ended before ${pattern}:\n${text}`));
          }
        };
        listeners.add(check);
        check();
      }),
    async stop(signal: Deno.Signal = "SIGTERM") {
      try {
        Deno.kill(-child.pid, signal);
      } catch {
        // already gone
      }
      await status;
      await collecting;
    },
  };
}

// Node's types, for tsc: the CLI imports `node:util` (this reference also makes `deno install
// --entrypoint scripts/build_npm.ts` install them in a fresh clone).
/// <reference types="@types/node" />
/**
 * `deno task build:npm`: writes `npm/`, the npm package. esbuild turns each TypeScript module
 * into one ES module (imports kept, relative `.ts` specifiers rewritten to `.js`), so consumers'
 * bundlers tree-shake it module by module; tsc writes the `.d.ts` files; `package.json` mirrors
 * the JSR `exports` of `deno.json`, and lists as dependencies exactly the packages the code imports.
 * `cloudflare:` modules are the platform's (workerd provides them): their imports are kept as they
 * are, typed for tsc by the project's stand-in, and are no dependency.
 *
 * @module
 */

import * as esbuild from "esbuild";

const root = new URL("../", import.meta.url).pathname;
const out = `${root}npm/`;
const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`));

/** Every module of the package: the entry points and what they import, never tests or CLIs. */
async function sources(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(`${root}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await sources(path));
    else if (entry.name.endsWith(".ts") && entry.name != "cli.ts") files.push(path);
  }
  return files.sort();
}

await Deno.remove(out, { recursive: true }).catch(() => {});
const modules = ["mod.ts", ...await sources("src")];

await esbuild.build({
  absWorkingDir: root,
  entryPoints: modules,
  outdir: `${out}esm`,
  outbase: ".",
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  logLevel: "warning",
  plugins: [{
    name: "one-module-per-module",
    setup(build) {
      build.onResolve(
        { filter: /.*/ },
        (args) =>
          args.kind == "entry-point"
            ? undefined
            : { path: args.path.replace(/\.ts$/, ".js"), external: true },
      );
    },
  }],
});
await esbuild.stop();

// Declarations, with the same specifier rewrite.
const tsconfig = {
  compilerOptions: {
    target: "es2022",
    module: "esnext",
    moduleResolution: "bundler",
    lib: ["es2022", "dom", "dom.iterable"],
    declaration: true,
    emitDeclarationOnly: true,
    allowImportingTsExtensions: true,
    strict: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    types: ["node"],
    typeRoots: [`${root}node_modules/@types`],
    // What the Durable Object classes' `@ts-types` comment gives Deno, for tsc: the declarations
    // keep the `cloudflare:workers` import, which a Workers project's types resolve.
    paths: { "cloudflare:workers": [`${root}src/adapters/cloudflare/workers_types.ts`] },
    rootDir: root,
    outDir: `${out}types`,
  },
  files: modules.map((module) => `${root}${module}`),
};
const tsconfigPath = `${out}tsconfig.build.json`;
await Deno.writeTextFile(tsconfigPath, JSON.stringify(tsconfig));
const tsc = await new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "npm:typescript@5.9.3/bin/tsc", "-p", tsconfigPath],
  cwd: root,
}).output();
await Deno.remove(tsconfigPath);
if (tsc.code != 0) {
  console.error(new TextDecoder().decode(tsc.stdout), new TextDecoder().decode(tsc.stderr));
  Deno.exit(1);
}
for (const module of modules) {
  const file = `${out}types/${module.replace(/\.ts$/, ".d.ts")}`;
  const text = await Deno.readTextFile(file);
  await Deno.writeTextFile(file, text.replace(/(["'])(\.{1,2}\/[^"']+)\.ts\1/g, "$1$2.js$1"));
}

// Dependencies: the bare imports of the code, at the ranges the import map gives.
const dependencies: Record<string, string> = {};
for (const module of modules) {
  const text = await Deno.readTextFile(`${root}${module}`);
  for (const [, specifier] of text.matchAll(/^(?:import|export)\b[^;]*?from\s+"([^"./][^"]*)"/gm)) {
    if (specifier.startsWith("cloudflare:")) continue; // the platform's, not a package
    // A built-in of Node (>= 20, as `engines` says) and Deno, not a package to depend on.
    if (specifier.startsWith("node:")) continue;
    const name = specifier.startsWith("@")
      ? specifier.split("/").slice(0, 2).join("/")
      : specifier.split("/")[0];
    // A package mapped whole (`"hono": "npm:hono@^4"`) or by prefix, for its deep paths
    // (`"@modelcontextprotocol/sdk/": "npm:/@modelcontextprotocol/sdk@1.32.2/"`).
    const mapped: string | undefined = config.imports[name] ??
      config.imports[`${name}/`]?.replace(/^npm:\//, "npm:").replace(/\/$/, "");
    if (!mapped?.startsWith("npm:")) {
      throw new Error(`${module}: ${specifier} is not an npm import`);
    }
    dependencies[name] = mapped.slice(mapped.lastIndexOf("@") + 1);
  }
}

const exportsMap: Record<string, { types: string; default: string }> = {};
for (const [subpath, file] of Object.entries(config.exports as Record<string, string>)) {
  // The CLI is a program, not a module to import: npm gets it as `bin` instead.
  if (subpath == "./cli") continue;
  const base = file.replace(/^\.\//, "").replace(/\.ts$/, "");
  exportsMap[subpath] = { types: `./types/${base}.d.ts`, default: `./esm/${base}.js` };
}

const packageJson = {
  name: config.name,
  version: config.version,
  description:
    "Typed TypeScript SDK, simulator and edge gateway for Wangsu's (ChinaNetCenter) live-streaming Channels Management API",
  license: config.license,
  type: "module",
  sideEffects: false,
  engines: { node: ">=20" },
  exports: exportsMap,
  bin: { wangsu: "./esm/src/cli/main.js" },
  files: ["esm", "types", "README.md", "LICENSE"],
  keywords: ["wangsu", "chinanetcenter", "live-streaming", "cdn", "hmac", "signer", "hono"],
  dependencies: Object.fromEntries(Object.entries(dependencies).sort()),
};
await Deno.writeTextFile(`${out}package.json`, JSON.stringify(packageJson, null, 2) + "\n");
await Deno.copyFile(`${root}README.md`, `${out}README.md`);
await Deno.copyFile(`${root}LICENSE`, `${out}LICENSE`);
console.log(
  `npm/ written: ${modules.length} modules, dependencies ${Object.keys(dependencies).join(", ")}`,
);

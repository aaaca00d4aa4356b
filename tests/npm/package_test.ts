// The npm package as a user gets it: built, linted by publint and attw, packed, installed into a
// fresh folder and used from plain Node with `node --test`.
import assert from "node:assert/strict";
import { buildNpmOnce } from "../helpers.ts";

const root = new URL("../../", import.meta.url).pathname;
const run = async (command: string, args: string[], cwd = root) => {
  const { code, stdout, stderr } = await new Deno.Command(command, { args, cwd }).output();
  const text = new TextDecoder().decode(stdout);
  return { code, stdout: text, out: text + new TextDecoder().decode(stderr) };
};

Deno.test({
  name: "the npm package builds, passes publint and attw, packs the right files, and works in Node",
  sanitizeResources: false,
  async fn(t) {
    await t.step("deno task build:npm", () => buildNpmOnce());

    await t.step(
      "package.json mirrors the JSR exports and keeps Hono out of the core",
      async () => {
        const pkg = JSON.parse(await Deno.readTextFile(`${root}npm/package.json`));
        const deno = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
        assert.deepEqual(
          Object.keys(pkg.exports),
          Object.keys(deno.exports).filter((subpath) => subpath != "./cli"),
        );
        assert.deepEqual(pkg.bin, { wangsu: "./esm/src/cli/main.js" });
        assert.equal(pkg.sideEffects, false);
        assert.equal(pkg.engines.node, ">=20");
        assert.equal(pkg.type, "module");
        for (const core of [".", "./signer"]) {
          const entry = `${root}npm/${pkg.exports[core].default}`;
          const seen = new Set<string>();
          const visit = async (file: string) => {
            if (seen.has(file)) return;
            seen.add(file);
            const text = await Deno.readTextFile(file);
            assert.ok(!/from "hono/.test(text), `${file} imports hono`);
            for (const [, spec] of text.matchAll(/from "(\.[^"]+)"/g)) {
              await visit(new URL(spec, `file://${file}`).pathname);
            }
          };
          await visit(entry);
        }
        // The signer imports only its own pure modules: nothing from npm, nothing from node:
        // (its errors and the SignedHeaders rule since the security work, issue 25 item 8).
        const pure = ["signer", "signing", "sha256", "verifier", "errors", "signed_headers"];
        for (const file of pure) {
          const text = await Deno.readTextFile(`${root}npm/esm/src/${file}.js`);
          for (const [, spec] of text.matchAll(/^import .* from "([^"]+)"/gm)) {
            assert.match(
              spec,
              /^\.\/(signing|sha256|errors|signed_headers)\.js$/,
              `${file}.js imports ${spec}`,
            );
          }
        }
      },
    );

    await t.step("publint: no errors", async () => {
      const { code, out } = await run("npx", ["-y", "publint@0.3.25", "npm"]);
      assert.equal(code, 0, out);
      assert.match(out, /All good!/);
    });

    await t.step("are the types wrong: no problem for ESM importers or bundlers", async () => {
      const { code, out, stdout } = await run("npx", [
        "-y",
        "@arethetypeswrong/cli@0.18.5",
        "--pack",
        "npm",
        "--profile",
        "esm-only",
        "--format",
        "json",
      ]);
      assert.equal(code, 0, out);
      const report = JSON.parse(stdout);
      const entrypoints = Object.keys(report.analysis.entrypoints);
      assert.deepEqual(entrypoints.sort(), [
        ".",
        "./adapters/cloudflare",
        "./adapters/deno",
        "./callbacks",
        "./gateway",
        "./gateway/mcp",
        "./gateway/reconciler",
        "./gateway/webhooks",
        "./signer",
        "./simulator",
        "./url-signing",
        "./verifier",
      ]);
      // An ESM-only package cannot serve node10 or require(); every other resolution must be clean.
      const problems = report.analysis.problems.filter((p: { resolutionKind?: string }) =>
        !["node10", "node16-cjs"].includes(p.resolutionKind ?? "")
      );
      assert.deepEqual(problems, []);
    });

    const tarballDir = await Deno.makeTempDir({ prefix: "wangsu-pack-" });
    await t.step("npm pack holds the built files and nothing else", async () => {
      const { code, out, stdout } = await run(
        "npm",
        ["pack", "--json", "--pack-destination", tarballDir],
        `${root}npm`,
      );
      assert.equal(code, 0, out);
      const [packed] = JSON.parse(stdout);
      const files: string[] = packed.files.map((f: { path: string }) => f.path).sort();
      console.log(`npm pack: ${files.length} files, ${packed.size} bytes packed`);
      for (
        const expected of [
          "package.json",
          "README.md",
          "LICENSE",
          "esm/mod.js",
          "types/mod.d.ts",
          "esm/src/signer.js",
          "types/src/signer.d.ts",
          "esm/src/simulator/mod.js",
          "esm/src/gateway/mod.js",
        ]
      ) {
        assert.ok(files.includes(expected), `${expected} is packed`);
      }
      for (const file of files) {
        assert.ok(
          /^(package\.json|README\.md|LICENSE|esm\/.*\.js|types\/.*\.d\.ts)$/.test(file),
          `unexpected ${file}`,
        );
      }
      assert.ok(!files.some((f) => /\/cli\.(js|d\.ts)$/.test(f)), "no CLI in the package");
    });

    await t.step(
      "installed from the tarball, it works under plain Node with node --test",
      async () => {
        const consumer = await Deno.makeTempDir({ prefix: "wangsu-node-" });
        const [tarball] = [...Deno.readDirSync(tarballDir)].map((e) => `${tarballDir}/${e.name}`);
        await Deno.writeTextFile(
          `${consumer}/package.json`,
          JSON.stringify({ name: "consumer", private: true, type: "module" }),
        );
        const install = await run("npm", [
          "install",
          "--no-audit",
          "--no-fund",
          "--loglevel=error",
          tarball,
        ], consumer);
        assert.equal(install.code, 0, install.out);
        await Deno.copyFile(
          `${root}tests/npm/fixtures/node_consumer.mjs`,
          `${consumer}/consumer.test.mjs`,
        );
        await Deno.copyFile(
          `${root}tests/fixtures/signing_vectors.json`,
          `${consumer}/signing_vectors.json`,
        );
        await Deno.copyFile(`${root}src/actions/spec.json`, `${consumer}/spec.json`);
        const version = await run("node", ["--version"]);
        assert.match(version.out, /^v(2\d|[3-9]\d)\./, `Node ${version.out}`);
        const { code, out } = await run("node", ["--test", "consumer.test.mjs"], consumer);
        assert.equal(code, 0, out);
        assert.match(out, /# pass 4/);
        assert.match(out, /# fail 0/);
        // The bin, as `npx @wangsu/sdk` runs it, under this Node.
        const help = await run("npx", ["--no-install", "wangsu", "--help"], consumer);
        assert.equal(help.code, 0, help.out);
        assert.match(help.out, /createChannel +Creates a push-mode channel/);
        const created = await run("npx", [
          "--no-install",
          "wangsu",
          "createChannel",
          "--simulator",
          "--channelName",
          "node",
          "--channelType",
          "live",
          "--pushDomain",
          "push.example.com",
          "--pullRate",
          "0",
        ], consumer);
        assert.equal(created.code, 0, created.out);
        assert.match(created.out, /"pullId": "\w+"/);
        const refused = await run("npx", [
          "--no-install",
          "wangsu",
          "getChannelList",
          "--pageSize",
          "99",
        ], consumer);
        assert.equal(refused.code, 2, refused.out);
        assert.match(refused.out, /pageSize: must be at most 50/);
        await Deno.remove(consumer, { recursive: true });
      },
    );
    await Deno.remove(tarballDir, { recursive: true });
  },
});

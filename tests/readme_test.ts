// The README and the guides under docs/ as a reader meets them: the action table matches the
// definitions, every ```ts block runs as pasted and prints what its comments say, every
// `deno task cli` line exits as stated, and every relative link reaches a file and heading.
import assert from "node:assert/strict";
import { actions } from "../src/actions/table.ts";

const root = new URL("../", import.meta.url);
const guides = [...Deno.readDirSync(new URL("docs/", root))]
  .filter((entry) => entry.isFile && entry.name.endsWith(".md"))
  .map((entry) => `docs/${entry.name}`)
  .sort();
/** Every document the tests read, by path from the project root: the README first. */
const documents = new Map(
  await Promise.all(
    ["README.md", ...guides].map(async (path) =>
      [path, await Deno.readTextFile(new URL(path, root))] as const
    ),
  ),
);
const readme = documents.get("README.md")!;

Deno.test("the README lists every action with its summary and the set-up commands", () => {
  const rows = readme.split("\n").filter((line) => line.startsWith("|"))
    .map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim()));
  for (const action of actions) {
    const row = rows.find((cells) => cells[1] == `\`${action.name}\``);
    assert.ok(row, `README row for ${action.name}`);
    assert.equal(row[4], action.summary, `${action.name}: summary differs from the definition`);
    assert.equal(row[3] == "yes", action.readOnly, `${action.name}: read-only column`);
  }
  assert.match(readme, /deno task start/);
  assert.match(readme, /deno task test/);
  assert.match(readme, /npx -y deno task start/);
  assert.match(readme, /npx -y deno task test/);
});

Deno.test("the guides are there and linked from the README", () => {
  const expected = [
    "gateway",
    "deployment",
    "security",
    "callbacks",
    "webhooks",
    "url-signing",
    "cli",
    "simulator",
  ];
  for (const guide of expected) {
    assert.ok(documents.has(`docs/${guide}.md`), `docs/${guide}.md`);
    assert.ok(readme.includes(`(docs/${guide}.md)`), `the README links docs/${guide}.md`);
  }
});

const localised = (code: string) =>
  code
    .replaceAll(
      '"@wangsu/sdk/simulator"',
      JSON.stringify(new URL("src/simulator/mod.ts", root).href),
    )
    .replaceAll('"@wangsu/sdk/signer"', JSON.stringify(new URL("src/signer.ts", root).href))
    .replaceAll('"@wangsu/sdk/verifier"', JSON.stringify(new URL("src/verifier.ts", root).href))
    .replaceAll('"@wangsu/sdk/gateway"', JSON.stringify(new URL("src/gateway/mod.ts", root).href))
    .replaceAll(
      '"@wangsu/sdk/callbacks"',
      JSON.stringify(new URL("src/callbacks/mod.ts", root).href),
    )
    .replaceAll('"@wangsu/sdk"', JSON.stringify(new URL("mod.ts", root).href));

/** The ```ts blocks of a document (a ```ts ignore block is not run). */
const blocksOf = (text: string) => [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

for (const [path, text] of documents) {
  for (const [index, code] of blocksOf(text).entries()) {
    Deno.test(`${path} example ${index + 1} runs as pasted`, async () => {
      const file = await Deno.makeTempFile({
        dir: root.pathname,
        prefix: ".readme_example_",
        suffix: ".ts",
      });
      try {
        await Deno.writeTextFile(file, localised(code));
        const { code: exit, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
          args: ["run", "--quiet", "--allow-env", "--allow-net=127.0.0.1", file],
          cwd: root.pathname,
        }).output();
        const output = new TextDecoder().decode(stdout);
        assert.equal(exit, 0, new TextDecoder().decode(stderr));
        for (const expected of code.matchAll(/console\.log\(.*\); \/\/ (.+)$/gm)) {
          assert.ok(
            output.includes(expected[1].split(";")[0].trim()),
            `${expected[1]} in ${output}`,
          );
        }
      } finally {
        await Deno.remove(file);
      }
    });
  }
}

Deno.test("the README has runnable examples, and so do the guides that show code", () => {
  assert.ok(blocksOf(readme).length >= 3, `${blocksOf(readme).length} runnable blocks`);
  for (const guide of ["client", "callbacks", "gateway", "simulator"]) {
    const count = blocksOf(documents.get(`docs/${guide}.md`)!).length;
    assert.ok(count >= 1, `docs/${guide}.md: ${count} runnable blocks`);
  }
});

Deno.test("the docs' `deno task cli` lines run as pasted, with the exit codes they state", async () => {
  const lines = [...documents.values()].flatMap((text) =>
    text.split("\n").filter((line) => line.startsWith("deno task cli "))
  );
  assert.ok(lines.length >= 3, `${lines.length} cli lines`);
  assert.ok(documents.get("docs/cli.md")!.includes("\ndeno task cli "), "docs/cli.md has them");
  for (const line of lines) {
    const [command, comment] = line.split(/\s+#\s*/, 2);
    const expected = Number(comment?.match(/^exit (\d+)/)?.[1] ?? 0);
    const args = command.trim().split(/\s+/).slice(1);
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: root.pathname,
    }).output();
    const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    assert.equal(code, expected, `${line}\n${output}`);
    const said = comment?.match(/^exit \d+: (.+)$/)?.[1];
    if (said) assert.ok(output.includes(said), `${line}: "${said}" in ${output}`);
  }
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replaceAll(" ", "-");

/** The anchors a Markdown file offers, numbered as GitHub numbers repeated headings. */
const anchorsOf = (text: string) => {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const prose = text.replace(/^( *)```[\s\S]*?^\1```$/gm, "");
  for (const [, heading] of prose.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count ? `${base}-${count}` : base);
  }
  return anchors;
};

Deno.test("every relative link in the README and the guides reaches a file and its heading", async () => {
  let checked = 0;
  for (const [path, text] of documents) {
    const prose = text.replace(/^( *)```[\s\S]*?^\1```$/gm, "").replace(/`[^`\n]*`/g, "");
    for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [file, anchor] = target.split("#");
      const url = file ? new URL(file, new URL(path, root)) : new URL(path, root);
      const stat = await Deno.stat(url).catch(() => undefined);
      assert.ok(stat, `${path}: ${target} names no file`);
      if (anchor) {
        assert.ok(url.pathname.endsWith(".md"), `${path}: ${target}: an anchor outside Markdown`);
        const anchors = anchorsOf(await Deno.readTextFile(url));
        assert.ok(anchors.has(anchor), `${path}: ${target}: no such heading (${[...anchors]})`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 20, `${checked} relative links checked`);
});

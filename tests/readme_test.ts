import assert from "node:assert/strict";
import { actions } from "../src/actions/table.ts";

const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));

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
  assert.match(readme, /npx -y deno task test/);
});

const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
const root = new URL("../", import.meta.url);
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

for (const [index, code] of blocks.entries()) {
  Deno.test(`README example ${index + 1} runs as pasted`, async () => {
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
        assert.ok(output.includes(expected[1].split(";")[0].trim()), `${expected[1]} in ${output}`);
      }
    } finally {
      await Deno.remove(file);
    }
  });
}

Deno.test("the README has runnable examples", () => {
  assert.ok(blocks.length >= 3, `${blocks.length} runnable blocks`);
});

Deno.test("the README's `deno task cli` lines run as pasted, with the exit codes they state", async () => {
  const lines = readme.split("\n").filter((line) => line.startsWith("deno task cli "));
  assert.ok(lines.length >= 3, `${lines.length} cli lines`);
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

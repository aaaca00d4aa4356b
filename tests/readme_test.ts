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

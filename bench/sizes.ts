/** 6. Bundle sizes (from scripts/sizes.ts), beside aws4fetch's, and the spread over single actions. */
import { consumerFolder, measure, measureAll } from "../scripts/sizes.ts";
import { actions } from "../src/actions/table.ts";
import { type Row, row } from "./measure.ts";

/** Runs section 6 (after `deno task build:npm`). */
export async function benchSizes(): Promise<Row[]> {
  const build = await new Deno.Command(Deno.execPath(), {
    args: ["task", "build:npm"],
    cwd: new URL("../", import.meta.url).pathname,
  }).output();
  if (build.code != 0) throw new Error(new TextDecoder().decode(build.stderr));
  const figures = await measureAll();
  const aws4fetch = figures.find((figure) => figure.name.startsWith("aws4fetch"))!;
  // Judged against the target where there is one, so that a missed target reads FAIL even where
  // the test task's budget (set just above the figure, so that it cannot grow) passes; against the
  // budget otherwise.
  const rows = figures.filter((figure) => figure.budget).map((figure) =>
    row(
      `size: ${figure.name} (min+gzip), vs its ${figure.target ? "target" : "budget"}`,
      `${figure.gzipped} B`,
      `${figure.target ? `target ${figure.target} B, ` : ""}budget ${figure.budget} B; ` +
        `aws4fetch ${aws4fetch.gzipped} B`,
      figure.gzipped / (figure.target ?? figure.budget!),
      { max: 1 },
    )
  );
  const dir = await consumerFolder();
  const single: number[] = [];
  for (const action of actions) {
    single.push(
      (await measure(
        action.name,
        `export { createClient, ${action.name} } from "@wangsu/sdk";`,
        undefined,
        dir,
      )).gzipped,
    );
  }
  await Deno.remove(dir, { recursive: true });
  single.sort((a, b) => a - b);
  rows.push(
    row(
      "size: createClient + any one action, min / median / max",
      `${single[0]} / ${single[14]} / ${single[28]} B`,
      `aws4fetch ${aws4fetch.gzipped} B`,
      single[14] / aws4fetch.gzipped,
    ),
  );
  return rows;
}

// Property tests (fast-check, fixed seeds). For every action, inputs grown from its valid
// example one change at a time are judged by an oracle written from the vendor spec
// (tests/property/oracle.ts: the spec's fields, types and required flags, and its notes'
// ranges, enumerations and rules between fields; never the valibot schemas under test). The
// action functions and readActionBody must agree with it on every input; inputs they accept
// must come back 200 from the simulator, inputs they refuse must send nothing. The statistics
// show each action's accepted and refused paths were reached at least MIN_EACH times. And the
// signer's invariants hold for any header list and any body.
import assert from "node:assert/strict";
import fc from "fast-check";
import * as sdk from "../mod.ts";
import { readActionBody } from "../src/action.ts";
import { actions } from "../src/actions/table.ts";
import { examples } from "./fixtures/examples.ts";
import { type Breach, judge, kinds, specActions, specFields } from "./property/oracle.ts";
import { inputsFor } from "./property/inputs.ts";
import { type Checker, divergences, explained } from "./property/divergences.ts";
import { createWorld } from "./property/world.ts";

type ActionFunction = (client: sdk.WangsuClient, input: unknown) => Promise<unknown>;
const functions = sdk as unknown as Record<string, ActionFunction>;
const byName = new Map(actions.map((action) => [action.name, action]));

/** Inputs per action, the least each path must be reached, and the seed of the first action. */
const RUNS = 600;
const MIN_EACH = 100;
const SEED = 26;

/** What a checker (the action function, or readActionBody) said about an input. */
interface Verdict {
  refused: boolean;
  paths: string[];
}

const show = (value: unknown) =>
  JSON.stringify(
    value,
    (_key, item) =>
      typeof item == "number" && !Number.isFinite(item)
        ? String(item)
        : item === undefined
        ? "<undefined>"
        : item,
  )?.slice(0, 400);

Deno.test("property oracle: covers exactly the spec's request fields, and every example is valid", () => {
  assert.deepEqual(actions.map((a) => a.name).sort(), [...specActions].sort());
  for (const action of specActions) {
    assert.deepEqual(
      Object.keys(kinds[action] ?? {}).sort(),
      specFields(action).map((f) => f.name).sort(),
      action,
    );
    assert.deepEqual(judge(action, examples[action]), [], `${action}: its example`);
  }
});

Deno.test("property oracle: each known divergence's witness still diverges (remove it once fixed)", async () => {
  const client = sdk.createClient({
    accessKey: "AK_PROP",
    secretKey: "SK_PROP_secret",
    retries: 0,
    fetch: () => Promise.resolve(Response.json({ code: 200, message: "ok", data: {} })),
  });
  for (const divergence of divergences) {
    const { action, input } = divergence.witness;
    const breaches = judge(action, input);
    const fields = breaches.map((b) => b.field);
    assert.equal(breaches.length == 0, divergence.sdk == "refuses", `${divergence.id}: the oracle`);
    const error = await functions[action](client, input).then(() => undefined, (e) => e);
    const read = readActionBody(byName.get(action)!, JSON.stringify(input));
    const verdicts = {
      client: error instanceof sdk.WangsuValidationError
        ? error.issues.map((issue) => issue.path)
        : undefined,
      server: "message" in read ? read.issues.map((issue) => issue.path) : undefined,
    };
    for (const checker of ["client", "server"] as const) {
      const paths = verdicts[checker];
      // What the checker does when it goes with the spec, and when it diverges as described.
      const right = breaches.length > 0 && paths !== undefined &&
        (paths.length == 0 || paths.some((path) => fields.includes(path)));
      const rightWhenValid = breaches.length == 0 && paths === undefined;
      const diverges = divergence.sdk == "accepts"
        ? paths === undefined
        : divergence.sdk == "refuses"
        ? paths !== undefined
        : paths !== undefined && !right;
      // Where it is not said to diverge, the checker goes with the spec (or another known
      // divergence explains it).
      const otherwise = right || rightWhenValid ||
        explained(action, input, checker, breaches, paths !== undefined, paths ?? []).length > 0;
      assert.ok(
        divergence.checkers.includes(checker) ? diverges : otherwise,
        `${divergence.id} (${checker}, ${show(paths)}): ${
          divergence.checkers.includes(checker)
            ? "no longer diverges; remove it from tests/property/divergences.ts"
            : "now diverges here too"
        }`,
      );
    }
  }
});

Deno.test("actions: validation agrees with the spec on inputs grown from each example", async (t) => {
  const rows: { action: string; accepted: number; refused: number; divergent: string }[] = [];
  for (const [index, action] of actions.entries()) {
    await t.step(action.name, async () => {
      const world = createWorld();
      const counts = { accepted: 0, refused: 0 };
      const seen = new Map<string, number>();
      /** The known divergences the current input showed, by either checker. */
      const noted = new Set<string>();

      /** Whether `verdict` agrees with the oracle (or a known divergence explains it). */
      const agrees = (checker: Checker, input: unknown, breaches: Breach[], verdict: Verdict) => {
        const fields = breaches.map((b) => b.field);
        const agreed = verdict.refused == breaches.length > 0;
        // Refusing, the SDK names a field the oracle names too.
        if (agreed && (!verdict.refused || verdict.paths.some((path) => fields.includes(path)))) {
          return true;
        }
        const ids = explained(
          action.name,
          input,
          checker,
          breaches,
          verdict.refused,
          verdict.paths,
        );
        assert.ok(
          ids.length,
          agreed
            ? `${checker} refused ${show(input)} naming ${show(verdict.paths)}; the spec says ${
              show(breaches)
            }`
            : `${checker} ${verdict.refused ? "refused" : "accepted"} ${show(input)}; the spec ${
              breaches.length ? `says ${show(breaches)}` : "accepts it"
            }${verdict.refused ? `; the SDK said ${show(verdict.paths)}` : ""}`,
        );
        for (const id of ids) noted.add(id);
        return agreed;
      };

      await fc.assert(
        fc.asyncProperty(inputsFor(action.name), async ({ input, change }) => {
          noted.clear();
          const breaches = judge(action.name, input);
          world.prepare(action.name, input, breaches.length == 0);
          const outcome = await functions[action.name](world.client, input).then(
            () => undefined,
            (error) => error,
          );
          const client: Verdict = outcome instanceof sdk.WangsuValidationError
            ? { refused: true, paths: outcome.issues.map((issue) => issue.path) }
            : { refused: false, paths: [] };
          // The servers' side (simulator, gateway): the same input as JSON text.
          const text = JSON.stringify(input);
          const wire = JSON.parse(text);
          const read = readActionBody(action, text);
          const server: Verdict = "message" in read
            // No issues: the body as a whole is not a JSON object.
            ? { refused: true, paths: read.issues.length ? read.issues.map((i) => i.path) : [""] }
            : { refused: false, paths: [] };
          agrees("server", wire, judge(action.name, wire), server);
          const agreed = agrees("client", input, breaches, client);
          for (const id of noted) seen.set(id, (seen.get(id) ?? 0) + 1);
          if (!agreed) return;

          const { bodies, statuses } = world.exchange;
          if (client.refused) {
            counts.refused++;
            assert.equal(bodies.length, 0, `${change}: refused, yet sent`);
            for (const issue of (outcome as sdk.WangsuValidationError).issues) {
              assert.ok(issue.message.startsWith(`${issue.path || "input"}: `), issue.message);
            }
            return;
          }
          counts.accepted++;
          assert.ok(
            outcome === undefined,
            `${change}: ${show(input)} was accepted, but the simulator answered ${outcome}`,
          );
          assert.deepEqual(statuses, [200]);
          // What was sent is the input, nothing added, dropped or changed.
          assert.deepEqual(JSON.parse(bodies[0]), wire);
        }),
        { seed: SEED + index, numRuns: RUNS },
      );
      rows.push({
        action: action.name,
        ...counts,
        divergent: [...seen].map(([id, n]) => `${id} ${n}`).join(", "),
      });
      assert.ok(counts.accepted >= MIN_EACH, `accepted path reached ${counts.accepted} times`);
      assert.ok(counts.refused >= MIN_EACH, `refused path reached ${counts.refused} times`);
    });
  }
  const width = Math.max(...rows.map((row) => row.action.length));
  console.log(
    [
      `${"action".padEnd(width)}  accepted  refused  known divergences (inputs)`,
      ...rows.map((row) =>
        `${row.action.padEnd(width)}  ${String(row.accepted).padStart(8)}  ${
          String(row.refused).padStart(7)
        }  ${row.divergent}`
      ),
      `${"total".padEnd(width)}  ${
        String(rows.reduce((n, row) => n + row.accepted, 0)).padStart(8)
      }  ${String(rows.reduce((n, row) => n + row.refused, 0)).padStart(7)}`,
    ].join("\n"),
  );
});

const names = ["content-type", "host", "x-cnc-timestamp", "x-cnc-accesskey", "accept"];
const credentials = { accessKey: "AK_PROP", secretKey: "SK_PROP_secret" };
const sign = (body: string, signedHeaders?: string) =>
  sdk.signRequest(
    { method: "POST", url: "https://open.chinanetcenter.com/live/x", body },
    credentials,
    { timestamp: 1_764_000_000, signedHeaders },
  ).then((headers) => headers.get("authorization")!.replace(/SignedHeaders=[^,]*, /, ""));

Deno.test("signer: the order and case of signed header names never change the signature", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.shuffledSubarray(names, { minLength: 1 }),
      fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      fc.string(),
      async (subset, upper, body) => {
        const canonical = await sign(body, [...subset].sort().join(";"));
        const shuffled = subset.map((n, i) => (upper[i] ? n.toUpperCase() : n)).join(";");
        const repeated = `${shuffled};${subset[0]}`;
        assert.equal(await sign(body, shuffled), canonical);
        assert.equal(await sign(body, repeated), canonical);
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("signer: any change to the body changes the signature", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ minLength: 1 }),
      fc.nat(),
      fc.string({ minLength: 1, maxLength: 1, unit: "grapheme" }),
      async (body, at, replacement) => {
        const index = at % body.length;
        const changed = body.slice(0, index) + replacement + body.slice(index + 1);
        fc.pre(changed != body);
        assert.notEqual(await sign(changed), await sign(body));
      },
    ),
    { numRuns: 300 },
  );
});

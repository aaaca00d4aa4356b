/**
 * Inputs for one action, made from its valid example (tests/fixtures/examples.ts) outward: some
 * optional fields left out, then one change: a field set to another value meant to be valid or
 * invalid (wrong type, out of range, not in the enumeration, too long, nested in a list), a field
 * left out or set to `undefined`, a field the spec does not list, or no object at all. The
 * actions with rules between fields also get their related fields changed together, so that the
 * valid side of those rules is reached too.
 *
 * @module
 */

import fc from "fast-check";
import { examples } from "../fixtures/examples.ts";
import { kinds, specActions, specFields } from "./oracle.ts";
import { values, wrongTypes } from "./values.ts";

/** A generated input and what was done to the example to make it. */
export interface Generated {
  /** The input. */
  readonly input: unknown;
  /** What was changed, e.g. `invalid pageSize`, for the failure message. */
  readonly change: string;
}

type Input = Record<string, unknown>;

const allFieldNames = [...new Set(specActions.flatMap((a) => specFields(a).map((f) => f.name)))];

/** A field named `key` holding `value`, even for `__proto__` (an own property, as JSON makes it). */
const withKey = (input: Input, key: string, value: unknown): Input => {
  const copy = { ...input };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};

const without = (input: Input, names: readonly string[]) =>
  Object.fromEntries(Object.entries(input).filter(([name]) => !names.includes(name)));

const H = 3600;

/** Changes to fields that depend on one another, around the edges of the rules between them. */
const related: Record<string, (base: Input) => fc.Arbitrary<Generated>> = {
  createRecordTask: (base) =>
    fc.oneof(
      fc.tuple(
        fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }),
        fc.constantFrom(1, 59, 60, 61, 119, 120, H, 72 * H - 60, 72 * H, 72 * H + 59, 72 * H + 60),
        fc.constantFrom(-1, 0, 1, 30),
      ).map(([start, span, shift]) => ({
        input: { ...base, quickStart: false, startTime: start, endTime: start + span + shift },
        change: `scheduled, span ${span}+${shift}s`,
      })),
      fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }).map((end) => ({
        input: { ...without(base, ["startTime"]), quickStart: true, endTime: end },
        change: "quick start",
      })),
      fc.tuple(
        fc.constantFrom(true, false, undefined),
        fc.constantFrom("mp4", "flv", "m3u8", undefined),
      ).map(([isConcat, fileType]) => ({
        input: { ...without(base, ["isConcat", "fileType"]), isConcat, fileType },
        change: `isConcat ${isConcat} with fileType ${fileType}`,
      })),
    ),
  startForwardTask: (base) =>
    fc.tuple(
      fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }),
      fc.constantFrom(0, 1, 299, 300, 301, 600, 86_400),
      fc.constantFrom("both", "start", "end", "neither"),
    ).map(([start, span, given]) => ({
      input: {
        ...without(base, ["startTime", "endTime"]),
        ...(given == "both" || given == "start" ? { startTime: start } : {}),
        ...(given == "both" || given == "end" ? { endTime: start + span } : {}),
      },
      change: `times: ${given}, span ${span}s`,
    })),
  recordTaskQuery: () =>
    fc.tuple(
      fc.constantFrom("t1", "", undefined),
      fc.constantFrom("n1", "", undefined, "x".repeat(32)),
    ).map(([taskId, transNo]) => ({
      input: {
        ...(taskId === undefined ? {} : { taskId }),
        ...(transNo === undefined ? {} : { transNo }),
      },
      change: `taskId ${JSON.stringify(taskId)} with transNo ${JSON.stringify(transNo)}`,
    })),
};

/**
 * The inputs of one action.
 *
 * @param action The action's function name.
 * @returns An arbitrary of inputs with the change each one carries.
 */
export function inputsFor(action: string): fc.Arbitrary<Generated> {
  const example = examples[action];
  if (!example) throw new Error(`No example for ${action}`);
  const fields = specFields(action);
  const optional = fields.filter((f) => !f.required).map((f) => f.name);
  const others = allFieldNames.filter((name) => !fields.some((f) => f.name == name));
  const field = fc.constantFrom(...fields);
  const valueOf = (name: string) => values[kinds[action][name]];

  // The example, or the example with some optional fields left out.
  const base: fc.Arbitrary<Input> = fc.oneof(
    fc.constant(example),
    fc.subarray(optional).map((names) => without(example, names)),
  );

  const changes = (input: Input): fc.Arbitrary<Generated> => {
    const options: fc.WeightedArbitrary<Generated>[] = [
      { weight: 2, arbitrary: fc.constant({ input, change: "none" }) },
      {
        weight: 10,
        arbitrary: field.chain((f) =>
          valueOf(f.name).valid.map((value) => ({
            input: { ...input, [f.name]: value },
            change: `valid ${f.name}`,
          }))
        ),
      },
      {
        weight: 5,
        arbitrary: field.chain((f) => {
          const own = valueOf(f.name).invalid;
          const wrong = wrongTypes(f.type, valueOf(f.name).valid);
          const value = own
            ? fc.oneof({ arbitrary: own, weight: 2 }, { arbitrary: wrong, weight: 1 })
            : wrong;
          return value.map((value) => ({
            input: { ...input, [f.name]: value },
            change: `invalid ${f.name}`,
          }));
        }),
      },
      {
        weight: 2,
        arbitrary: field.map((f) => ({
          input: without(input, [f.name]),
          change: `without ${f.name}`,
        })),
      },
      {
        weight: 1,
        arbitrary: field.map((f) => ({
          input: { ...input, [f.name]: undefined },
          change: `undefined ${f.name}`,
        })),
      },
      {
        weight: 2,
        arbitrary: fc.tuple(
          fc.constantFrom(
            "foo",
            "PullId",
            "pullID",
            "page_size",
            "constructor",
            "toString",
            "__proto__",
            "",
            ...others,
          ),
          fc.jsonValue({ maxDepth: 1 }),
        ).map(([key, value]) => ({
          input: withKey(input, key, value),
          change: `unknown field ${JSON.stringify(key)}`,
        })),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom<unknown>(null, [], "pullId=p1", 1, [input], true).map(
          (value) => ({ input: value, change: "not an object" }),
        ),
      },
    ];
    const more = related[action];
    if (more) options.push({ weight: 8, arbitrary: more(input) });
    return fc.oneof(...options);
  };

  return base.chain(changes);
}

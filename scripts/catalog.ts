/**
 * Writes `src/actions/catalog.ts`, the action catalog, from the action files: each action's name,
 * path, resource and whether it only reads, and a loader of its module. Run it after adding an
 * action (`deno task catalog`); `tests/actions/catalog_test.ts` fails while the file is stale.
 *
 * @module
 */

import { type ActionInfo, isActionDefinition } from "../src/action.ts";

/** The resource folders, in the order the README lists them. */
const FOLDERS = [
  "channels",
  "pull_channels",
  "live_state",
  "recording",
  "directories",
  "forwarding",
];

const actionsFolder = new URL("../src/actions/", import.meta.url);

/** Renders the catalog's source text from the action files as they are now. */
export async function renderCatalog(): Promise<string> {
  const entries: string[] = [];
  for (const folder of FOLDERS) {
    const files = [...Deno.readDirSync(new URL(`${folder}/`, actionsFolder))]
      .map((entry) => entry.name)
      .filter((name) => name.endsWith(".ts") && name != "mod.ts")
      .sort();
    for (const file of files) {
      const module: Record<string, unknown> = await import(
        new URL(`${folder}/${file}`, actionsFolder).href
      );
      for (const [exported, value] of Object.entries(module)) {
        if (!isActionDefinition(value)) continue;
        const info = module[`${value.name}Info`] as ActionInfo | undefined;
        if (!info) throw new Error(`${folder}/${file}: ${value.name}Info is missing`);
        entries.push(`  {
    name: "${value.name}",
    path: "${value.path}",
    resource: "${info.resource}",
    readOnly: ${value.readOnly},
    load: () => import("./${folder}/${file}").then((module) => module.${exported}),
  },`);
      }
    }
  }
  return `/**
 * The action catalog: every action's name, path, resource and whether it only reads, with a loader
 * of its full definition. What a gateway needs to start, without building 29 schemas or loading
 * valibot; each action's module is imported on its first request.
 *
 * Generated from the action files by \`deno task catalog\` (scripts/catalog.ts); do not edit.
 *
 * @module
 */

import type { CatalogEntry } from "../action.ts";

/** Every action, grouped by resource in the order the README lists them. */
export const catalog: readonly CatalogEntry[] = [
${entries.join("\n")}
];
`;
}

if (import.meta.main) {
  const target = new URL("catalog.ts", actionsFolder);
  Deno.writeTextFileSync(target, await renderCatalog());
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", target.pathname] }).output();
  console.log(`wrote ${target.pathname}`);
}

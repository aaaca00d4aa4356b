// Headless Debian Chromium for the browser tests: installed with apt when missing, started with
// the flags this machine needs and a throwaway profile.
import assert from "node:assert/strict";

/** Where Debian installs it. */
export const CHROMIUM = "/usr/bin/chromium";

/** Installs Chromium with apt-get when it is not there yet. */
export async function ensureChromium(): Promise<void> {
  try {
    await Deno.stat(CHROMIUM);
    return;
  } catch {
    // Installed below.
  }
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "chromium"]]) {
    const { code, stderr } = await new Deno.Command("apt-get", { args, env }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
  }
}

/** The flags every run uses, with a profile folder of its own. */
export const chromiumFlags = (profile: string): string[] => [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--user-data-dir=${profile}`,
];

/** Opens `url` in headless Chromium; `close()` ends it and removes its profile. */
export async function openChromium(url: string, extraFlags: string[] = []) {
  await ensureChromium();
  const profile = await Deno.makeTempDir({ prefix: "wangsu-chromium-" });
  const child = new Deno.Command(CHROMIUM, {
    args: [...chromiumFlags(profile), ...extraFlags, url],
    stdout: "null",
    stderr: "null",
  }).spawn();
  return {
    async close() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
      await child.status;
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

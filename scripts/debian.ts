/**
 * Tools from Debian's packages that tasks install themselves when missing (Chromium for the
 * browser tests, wrk for the benchmarks): `apt-get update`, then `apt-get install`.
 *
 * @module
 */

/**
 * Installs Debian package `name` with apt-get unless `binary` already exists.
 *
 * @param binary The file the package provides, e.g. `/usr/bin/wrk`.
 * @param name The package.
 * @throws {Error} With apt-get's output, when it fails.
 */
export async function ensureDebianPackage(binary: string, name: string): Promise<void> {
  if (await Deno.stat(binary).then(() => true, () => false)) return;
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", name]]) {
    const { code, stderr } = await new Deno.Command("apt-get", { args, env }).output();
    if (code != 0) {
      throw new Error(`apt-get ${args[0]} ${name}: ${new TextDecoder().decode(stderr)}`);
    }
  }
}

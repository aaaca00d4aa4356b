/**
 * Source allow-lists: exact addresses and CIDR ranges, IPv4 and IPv6 (IPv4-mapped IPv6
 * addresses match their IPv4 form).
 *
 * @module
 */

import { WangsuValidationError } from "../errors.ts";

const ipv4 = (text: string): bigint | undefined => {
  const parts = text.split(".");
  if (parts.length != 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) < 256)) return;
  return parts.reduce((sum, part) => (sum << 8n) | BigInt(part), 0n);
};

const ipv6 = (text: string): bigint | undefined => {
  const halves = text.split("::");
  if (halves.length > 2) return;
  const groups = (half: string) => (half ? half.split(":") : []);
  let head = groups(halves[0]);
  let tail = halves.length == 2 ? groups(halves[1]) : [];
  const last = (halves.length == 2 ? tail : head).at(-1);
  const embedded = last?.includes(".") ? ipv4(last) : undefined;
  if (last?.includes(".")) {
    if (embedded === undefined) return;
    const words = [(embedded >> 16n).toString(16), (embedded & 0xffffn).toString(16)];
    if (halves.length == 2) tail = [...tail.slice(0, -1), ...words];
    else head = [...head.slice(0, -1), ...words];
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length == 2 ? missing < 1 : missing != 0) return;
  const all = [...head, ...Array(halves.length == 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((group) => /^[\da-f]{1,4}$/i.test(group))) return;
  return all.reduce((sum, group) => (sum << 16n) | BigInt(`0x${group}`), 0n);
};

const MAPPED = 0xffffn << 32n;

/** An address as a number and its width in bits (IPv4-mapped IPv6 read as IPv4). */
const parse = (text: string): { value: bigint; bits: number } | undefined => {
  const bare = text.replace(/^\[|\]$/g, "");
  const four = ipv4(bare);
  if (four !== undefined) return { value: four, bits: 32 };
  const six = ipv6(bare);
  if (six === undefined) return;
  if (six >> 32n == MAPPED >> 32n) return { value: six & 0xffffffffn, bits: 32 };
  return { value: six, bits: 128 };
};

/**
 * Compiles an allow-list.
 *
 * @param entries Addresses (`203.0.113.7`, `2001:db8::1`) and ranges (`203.0.113.0/24`).
 * @param path Where the list sits in the configuration, for error messages.
 * @returns A test: is this address on the list?
 * @throws {WangsuValidationError} Naming the first entry that is no address or range.
 */
export function createAddressMatcher(
  entries: readonly string[],
  path: string,
): (address: string | undefined) => boolean {
  const ranges = entries.map((entry, index) => {
    const [address, prefix, extra] = entry.trim().split("/");
    const parsed = parse(address);
    const length = prefix === undefined ? parsed?.bits : Number(prefix);
    if (
      !parsed || extra !== undefined || length === undefined || !/^\d{1,3}$/.test(String(length)) ||
      length > parsed.bits
    ) {
      throw new WangsuValidationError([{
        path: `${path}.${index}`,
        rule: "address",
        message: `${path}.${index}: "${entry}" is no IP address or CIDR range`,
      }]);
    }
    const shift = BigInt(parsed.bits - length);
    return { bits: parsed.bits, shift, network: parsed.value >> shift };
  });
  return (address) => {
    const parsed = address ? parse(address) : undefined;
    return !!parsed &&
      ranges.some((range) =>
        range.bits == parsed.bits && parsed.value >> range.shift == range.network
      );
  };
}

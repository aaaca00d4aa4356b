/** CPU time a process has used so far, from /proc (Linux), in milliseconds. */
export async function processCpuMs(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are
  // fields 14 and 15, in clock ticks (100 per second on Linux).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU time of a process's threads so far, in milliseconds, to the nanosecond (each thread's
 * `schedstat`, Linux): fine enough for a start-up that takes a few milliseconds, where `stat`'s
 * clock ticks are 10 ms apart.
 */
export async function threadsCpuMs(pid: number): Promise<number> {
  let nanoseconds = 0;
  for await (const thread of Deno.readDir(`/proc/${pid}/task`)) {
    try {
      const schedstat = await Deno.readTextFile(`/proc/${pid}/task/${thread.name}/schedstat`);
      nanoseconds += Number(schedstat.split(" ")[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return nanoseconds / 1e6;
}

/**
 * Runs `run` (a load run against process `pid`) and adds the process's CPU time per request it
 * served, in milliseconds: process CPU read before and after, over `requests`.
 */
export async function withCpuPerRequest<T extends { requests: number }>(
  pid: number,
  run: () => Promise<T>,
): Promise<T & { cpuPerRequestMs: number }> {
  const before = await processCpuMs(pid);
  const result = await run();
  const cpu = await processCpuMs(pid) - before;
  return { ...result, cpuPerRequestMs: cpu / result.requests };
}

// Process figures from /proc (Linux): CPU time of a process tree and resident memory.
import { readFileSync, readdirSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, comm is field 2.
    return { ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]), comm: text.slice(text.indexOf("(") + 1, text.lastIndexOf(")")) };
  } catch {
    return null;
  }
}

/** `pid` and all its descendants, each with its command name. */
export function tree(pid) {
  const all = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (s) all.push({ pid: Number(name), ...s });
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    const me = all.find((x) => x.pid === p);
    if (me) out.push({ pid: p, comm: me.comm });
    for (const child of all.filter((x) => x.ppid === p)) queue.push(child.pid);
  }
  return out;
}

/** CPU seconds (user + system) used so far by `pids`. */
export function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const s = stat(pid);
    if (s) ticks += s.utime + s.stime;
  }
  return ticks / TICKS_PER_SECOND;
}

/** Resident set size in MB of `pids` together (VmRSS). */
export function rssMb(pids) {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
      if (m) kb += Number(m[1]);
    } catch {}
  }
  return kb / 1024;
}

/** Samples the RSS of `pids` every `everyMs` until `stop()`; returns the peak in MB. */
export function rssSampler(pids, everyMs = 100) {
  let peak = rssMb(pids);
  const timer = setInterval(() => { peak = Math.max(peak, rssMb(pids)); }, everyMs);
  return { stop() { clearInterval(timer); return Math.max(peak, rssMb(pids)); } };
}

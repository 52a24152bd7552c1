/** /proc sampling of one process: RSS (VmRSS, VmHWM) and CPU (utime + stime, clock ticks). */
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";

const TICKS = (() => {
  try {
    return Number(execSync("getconf CLK_TCK").toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

export type ProcSample = { t: number; rssKb: number; hwmKb: number; cpuSec: number };

export function sample(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields after comm: state(0) ppid(1) ... utime(11) stime(12)
  const cpuSec = (Number(f[11]) + Number(f[12])) / TICKS;
  return { t: performance.now(), rssKb: kb("VmRSS"), hwmKb: kb("VmHWM"), cpuSec };
}

/** RSS by kind (MB): anonymous (heaps, malloc), file-backed and shared memory (tmpfs and shm pages mapped). */
export function rssKinds(pid: number): { anon: number; file: number; shmem: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const mbOf = (k: string) => Math.round(Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) / 1024);
  return { anon: mbOf("RssAnon"), file: mbOf("RssFile"), shmem: mbOf("RssShmem") };
}

/** CPU seconds of this Node process (load generator + sink), for the record. */
export function selfCpuSec(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Samples every `everyMs` until stopped. */
export function sampler(pid: number, everyMs = 1000) {
  const samples: ProcSample[] = [sample(pid)];
  const timer = setInterval(() => {
    try {
      samples.push(sample(pid));
    } catch {
      // process exited
    }
  }, everyMs);
  return {
    samples,
    stop(): ProcSample[] {
      clearInterval(timer);
      try {
        samples.push(sample(pid));
      } catch {
        // exited
      }
      return samples;
    },
  };
}

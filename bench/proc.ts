// A process's CPU time and peak memory, from Linux's /proc (the dev server and the worker are
// processes of their own, so their figures cannot come from inside this one).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** utime + stime of a /proc/<pid>/stat line, in clock ticks. The name field may hold spaces and parentheses. */
export function cpuTicksOf(statLine: string): number {
  const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) sit at indexes 11 and 12.
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc stat line: ${statLine.slice(0, 200)}`);
  return utime + stime;
}

/** A memory line of a /proc/<pid>/status text (VmHWM: the peak resident set; VmRSS: the current one), in bytes. */
export function memoryBytesOf(statusText: string, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(statusText);
  if (!match) throw new Error(`no ${field} line in /proc status`);
  return Number(match[1]) * 1024;
}

let ticksPerSecond: number | undefined;

export function cpuSecondsOf(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return cpuTicksOf(readFileSync(`/proc/${pid}/stat`, 'utf8')) / ticksPerSecond;
}

export const memoryBytes = (pid: number, field: 'VmHWM' | 'VmRSS'): number =>
  memoryBytesOf(readFileSync(`/proc/${pid}/status`, 'utf8'), field);

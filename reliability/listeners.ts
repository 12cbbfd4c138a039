// Which TCP addresses our processes listen on, from /proc (Linux): every server must bind 127.0.0.1.
import { promises as fs } from 'node:fs';
import { isLoopbackV4, parseListeningSockets, socketInode } from './proc-net-tcp';

export interface WatchedProcess {
  pid: number;
  /** What it is, for the report: "simulators (this process)", "crash worker", "restart dev server". */
  role: string;
  /** Also the processes it started. Default true. */
  descendants?: boolean;
  /** Only these ports (this test process listens for other tests too); each must be seen listening. */
  ports?: readonly number[];
}

export interface Listener {
  role: string;
  pid: number;
  address: string;
  port: number;
  loopback: boolean;
}

/** Parent pid of every process, from /proc/<pid>/stat (the field after the parenthesised name). */
async function parentPids(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await fs.readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended meanwhile.
    }
  }
  return parents;
}

/** `pid` and every process below it. */
function withDescendants(pid: number, parents: Map<number, number>): number[] {
  const found = [pid];
  for (let i = 0; i < found.length; i++) {
    for (const [child, parent] of parents) if (parent === found[i] && !found.includes(child)) found.push(child);
  }
  return found;
}

async function socketInodes(pid: number): Promise<number[]> {
  let fds: string[];
  try {
    fds = await fs.readdir(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: number[] = [];
  for (const fd of fds) {
    try {
      const inode = socketInode(await fs.readlink(`/proc/${pid}/fd/${fd}`));
      if (inode !== undefined) inodes.push(inode);
    } catch {
      // The fd closed meanwhile.
    }
  }
  return inodes;
}

/**
 * The listening sockets of each watched process and its descendants, and a "not seen" entry (never
 * loopback) for each expected port that is not listening. Empty where /proc is not available.
 */
export async function listenersOf(processes: readonly WatchedProcess[]): Promise<Listener[]> {
  let tables: string[];
  try {
    tables = await Promise.all([fs.readFile('/proc/net/tcp', 'utf8'), fs.readFile('/proc/net/tcp6', 'utf8').catch(() => '')]);
  } catch {
    return [];
  }
  const sockets = [...parseListeningSockets(tables[0], 4), ...parseListeningSockets(tables[1], 6)];
  const parents = await parentPids();
  const listeners: Listener[] = [];
  for (const { pid, role, descendants = true, ports } of processes) {
    const found: Listener[] = [];
    for (const member of descendants ? withDescendants(pid, parents) : [pid]) {
      const inodes = new Set(await socketInodes(member));
      for (const socket of sockets.filter((s) => inodes.has(s.inode) && (!ports || ports.includes(s.port)))) {
        found.push({ role, pid: member, address: socket.address, port: socket.port, loopback: isLoopbackV4(socket.address) });
      }
    }
    for (const port of ports ?? []) {
      if (!found.some((l) => l.port === port)) found.push({ role, pid, address: 'not seen listening', port, loopback: false });
    }
    listeners.push(...found);
  }
  return listeners;
}

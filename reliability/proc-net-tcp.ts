// Parsing /proc/net/tcp and /proc/net/tcp6, to see which addresses our servers listen on. Pure.

export interface ListeningSocket {
  address: string;
  port: number;
  inode: number;
}

const LISTEN = '0A';

/** `0100007F` → `127.0.0.1` (IPv4 in /proc is four little-endian bytes). */
export function ipv4FromHex(hex: string): string {
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
}

/**
 * IPv6 in /proc is four 32-bit words, each little-endian. IPv4-mapped addresses come back as
 * `::ffff:a.b.c.d`, anything else in full (uncompressed) form.
 */
export function ipv6FromHex(hex: string): string {
  const bytes: number[] = [];
  for (let word = 0; word < 4; word++) {
    const w = hex.slice(word * 8, word * 8 + 8);
    bytes.push(...[6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(':');
}

/** The LISTEN sockets of one /proc/net/tcp or tcp6 file. */
export function parseListeningSockets(content: string, family: 4 | 6): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of content.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== LISTEN) continue;
    const [addressHex, portHex] = fields[1].split(':');
    sockets.push({
      address: family === 4 ? ipv4FromHex(addressHex) : ipv6FromHex(addressHex),
      port: parseInt(portHex, 16),
      inode: Number(fields[9]),
    });
  }
  return sockets;
}

/** The inode of an fd link target such as `socket:[12345]`, or undefined for anything else. */
export function socketInode(linkTarget: string): number | undefined {
  const match = /^socket:\[(\d+)\]$/.exec(linkTarget);
  return match ? Number(match[1]) : undefined;
}

/** True for the one address every server here must bind: 127.0.0.1 (also as an IPv4-mapped IPv6 address). */
export function isLoopbackV4(address: string): boolean {
  return address === '127.0.0.1' || address === '::ffff:127.0.0.1';
}

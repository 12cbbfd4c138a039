import { strict as assert } from 'assert';
import { ipv4FromHex, ipv6FromHex, isLoopbackV4, parseListeningSockets, socketInode } from '../../../reliability/proc-net-tcp';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:940F 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100569 2 00000000b9a192a1 100 0 0 10 0
   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2024 1 0000000000000000 100 0 0 10 0
   2: 0100007F:940F 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000     0        0 100570 1 0000000000000000 20 4 30 10 -1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 300 1 0000000000000000 100 0 0 10 0
   1: 0000000000000000FFFF00000100007F:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 301 1 0000000000000000 100 0 0 10 0
   2: 00000000000000000000000000000000:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 302 1 0000000000000000 100 0 0 10 0
`;

describe('reliability /proc/net/tcp parsing', () => {
  it('keeps only LISTEN sockets, with address, port and inode', () => {
    assert.deepEqual(parseListeningSockets(TCP, 4), [
      { address: '127.0.0.1', port: 0x940f, inode: 100569 },
      { address: '0.0.0.0', port: 2024, inode: 2024 },
    ]);
  });

  it('reads IPv6: loopback, IPv4-mapped and any', () => {
    assert.deepEqual(
      parseListeningSockets(TCP6, 6).map((s) => s.address),
      ['0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:0'],
    );
    assert.equal(ipv4FromHex('0100007F'), '127.0.0.1');
    assert.equal(ipv6FromHex('0000000000000000FFFF00000100007F'), '::ffff:127.0.0.1');
  });

  it('accepts 127.0.0.1 only', () => {
    assert.ok(isLoopbackV4('127.0.0.1'));
    assert.ok(isLoopbackV4('::ffff:127.0.0.1'));
    assert.ok(!isLoopbackV4('0.0.0.0'));
    assert.ok(!isLoopbackV4('0:0:0:0:0:0:0:0'));
    assert.ok(!isLoopbackV4('10.0.0.5'));
  });

  it('reads socket inodes from fd links', () => {
    assert.equal(socketInode('socket:[100569]'), 100569);
    assert.equal(socketInode('pipe:[12]'), undefined);
    assert.equal(socketInode('/dev/null'), undefined);
  });
});

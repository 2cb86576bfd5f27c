import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_CONNS, connsOf, connsToJson, formatConns, intersect, isAll, isEmpty, NO_CONNS, overlaps, protocolConns, subtract, union } from './conn.js';
import { formatRange, parseCidr, parseRange, splitSpace, wholeFamily } from './ip.js';

describe('connection sets', () => {
  it('union merges adjacent ranges; intersect and subtract cut them', () => {
    const a = union(connsOf('TCP', 80, 90), connsOf('TCP', 91, 100));
    assert.equal(formatConns(a), 'TCP 80-100');
    assert.equal(formatConns(intersect(a, union(connsOf('TCP', 95, 200), connsOf('UDP', 53)))), 'TCP 95-100');
    assert.equal(formatConns(subtract(a, connsOf('TCP', 85))), 'TCP 80-84,86-100');
    assert.equal(formatConns(subtract(ALL_CONNS, protocolConns('TCP'))), 'UDP all; SCTP all');
    assert.ok(isEmpty(subtract(a, a)));
    assert.ok(isAll(union(protocolConns('TCP'), union(protocolConns('UDP'), protocolConns('SCTP')))));
  });

  it('overlaps: some port of some protocol in both, the same answer as a non-empty intersection', () => {
    const sets = [NO_CONNS, ALL_CONNS, connsOf('TCP', 80, 90), connsOf('TCP', 85), connsOf('TCP', 91, 100), connsOf('UDP', 85), protocolConns('SCTP')];
    for (const a of sets) for (const b of sets) assert.equal(overlaps(a, b), !isEmpty(intersect(a, b)), `${formatConns(a)} / ${formatConns(b)}`);
    assert.equal(overlaps(connsOf('TCP', 80, 90), connsOf('TCP', 90, 95)), true);
    assert.equal(overlaps(connsOf('TCP', 80, 90), connsOf('UDP', 80, 90)), false);
  });

  it('JSON: "all", or ranges with endPort only when wider than one port', () => {
    assert.equal(connsToJson(ALL_CONNS), 'all');
    assert.deepEqual(connsToJson(union(connsOf('TCP', 443), connsOf('UDP', 30000, 32767))), [
      { protocol: 'TCP', port: 443 },
      { protocol: 'UDP', port: 30000, endPort: 32767 },
    ]);
    assert.deepEqual(connsToJson(NO_CONNS), []);
  });
});

describe('IP ranges', () => {
  it('parses IPv4 and IPv6 CIDRs, ignoring host bits', () => {
    assert.equal(formatRange(parseCidr('10.1.2.3/8') as NonNullable<ReturnType<typeof parseCidr>>), '10.0.0.0-10.255.255.255');
    assert.equal(formatRange(parseCidr('2001:db8::/32') as NonNullable<ReturnType<typeof parseCidr>>), '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff');
    assert.equal(formatRange(parseCidr('::ffff:10.0.0.1') as NonNullable<ReturnType<typeof parseCidr>>), '::ffff:a00:1-::ffff:a00:1');
    for (const bad of ['10.0.0.256/8', '10.0.0.0/33', 'fe80::1::2', 'nope', '10.0.0/8']) assert.equal(parseCidr(bad), undefined, bad);
  });

  it('splits the address space at every boundary', () => {
    const parts = splitSpace(
      [parseCidr('10.0.0.0/8'), parseCidr('10.1.0.0/16')].map((r) => r as NonNullable<typeof r>),
      [4],
    ).map(formatRange);
    assert.deepEqual(parts, ['0.0.0.0-9.255.255.255', '10.0.0.0-10.0.255.255', '10.1.0.0-10.1.255.255', '10.2.0.0-10.255.255.255', '11.0.0.0-255.255.255.255']);
    assert.deepEqual(splitSpace([], [4, 6]).map(formatRange), [formatRange(wholeFamily(4)), formatRange(wholeFamily(6))]);
    assert.deepEqual(parseRange('10.0.0.0-10.255.255.255'), parseCidr('10.0.0.0/8'));
  });
});

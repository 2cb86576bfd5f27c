/**
 * Version ordering per ecosystem. The cases are each ecosystem's documented rules and its
 * known traps (dpkg `~`, apk suffixes and leading zeros, rpm `~`/`^` and segment kinds,
 * PEP 440 dev/pre/post/local, Maven qualifiers and padding, Go pseudo-versions, RubyGems
 * pre-releases); several come from the tables osv-scanner checks its comparators against
 * (google/osv-scanner internal/semantic/fixtures, Apache-2.0), which were produced by the
 * ecosystems' own tools. Each case is checked both ways round.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVersions, SUPPORTED_ECOSYSTEMS } from './versions.js';

const CASES: Readonly<Record<string, string>> = {
  Debian: `
1.0~rc1-1 < 1.0-1
1.0~~ < 1.0~
1.0~ < 1.0
1:0.9 > 2.0
0.0.0 = 0.0.0-0
1.0 < 1.0a
1.0a < 1.0+
7.88.1-10+deb12u5 < 7.88.1-10+deb12u6
2:1.20.11-1+deb11u6 > 2:1.20.11-1
1.2.3-1ubuntu1 > 1.2.3-1
2.15.0-1~deb11u1 < 2.15.0-1
1.001 = 1.1
0:1.0 = 1.0
1.0-1-2 > 1.0-1`,
  Alpine: `
1.2.3_rc1-r0 < 1.2.3-r0
1.2.3_p1-r0 > 1.2.3-r0
1.2.3-r1 > 1.2.3-r0
1.05 < 1.5
0.99_beta19-r3 < 0.99-r0
1.0_alpha < 1.0_beta
1.0_beta < 1.0_pre
1.0_pre < 1.0_rc
1.0_cvs < 1.0_svn
1.0_hg < 1.0_p
2.9.3-r0 > 2.9.2-r5
1.0a > 1.0
1.0_git20200101 > 1.0
1.2.3-r10 > 1.2.3-r9`,
  'Red Hat': `
2.0.1a > 2.0.1
10xyz < 10.1xyz
xyz.4 < 8
6.0.rc1 > 6.0
10b2 > 10a1
1.0a < 1.0aa
10.0001 = 10.1
2_0 = 2.0
a+ = a_
1.0~rc1 < 1.0
1.0~rc1~git123 < 1.0~rc1
1.0~rc1 < 1.0arc1
0:1~1 < 1:2
13:5 > 004:2
1 < 1-1
1-123 > 1-1.el7
0:3.10.0-229.el7 < 0:3.10.0-229.1.2.ael7b
1-1. = 1-1
1. = 1
1.0^ > 1.0
1.0^git1 < 1.01
1.0^20160101 < 1.0.1
1.0~rc1^git1 > 1.0~rc1
1.0^git1~pre < 1.0^git1
1.1.α = 1.1.β`,
  npm: `
1.0.0-alpha < 1.0.0-alpha.1
1.0.0-alpha.1 < 1.0.0-alpha.beta
1.0.0-alpha.beta < 1.0.0-beta
1.0.0-beta.2 < 1.0.0-beta.11
1.0.0-rc.1 < 1.0.0
1.0.0+build.5 = 1.0.0
2.0.0 > 1.99.99
1.2 = 1.2.0`,
  Go: `
v0.0.0-20230101120000-abcdef123456 < v0.1.0
v0.0.0-20220722155237-a158d28d115b < 0.0.0-20220906165146-f3363e06e74c
v1.2.4-0.20230101120000-abcdef123456 > v1.2.3
v1.2.4-0.20230101120000-abcdef123456 < v1.2.4
1.20.0-0 < 1.20.0
go1.21rc2 < 1.21.0
1.21.0-rc.2 = go1.21rc2
go1.20 = 1.20.0
v2.0.0+incompatible = 2.0.0`,
  PyPI: `
1.36.0rc1 > 1.35.0
1.0.0+local > 1.0.0
1.0.dev0 < 1.0a0
1.0a0 < 1.0b0
1.0b0 < 1.0rc0
1.0rc0 < 1.0
1.0 < 1.0.post0
1.2.post3.dev4 > 1.2b3.dev4
1.2b3.DEV4 < 1.2b3.dev5
0.9.c < 1.0
0.9.preview < 1.0
1.0c1 = 1.0rc1
1.0.0+local.0 < 1.0.0+local.0.1
1.0.0+local.a < 1.0.0+local.1
1.0-1 < 1.0-2
1.0-1 = 1.0.post1
1!1.0 < 2!1.0
1!0.5 > 2.0
1.0 = 1.0.0
v1.0 = 1.0
0.9-ivysaur < 1.0
2.10 > 2.9`,
  Maven: `
1.0-alpha-1 < 1.0
1.0-alpha-1 < 1.0-beta-1
1.0-beta-1 < 1.0-SNAPSHOT
1.0-SNAPSHOT < 1.0
1.0 < 1.0-sp1
1.0 < 1.0-1
1.0.0 < 1.0-1
2.0-1 < 2.0.1
2.0.1 < 2.0.1-xyz
2.0.1-xyz < 2.0.1-123
1 = 1.0-0
1.1 = 1.01
1a = 1-a
1ga = 1
1final = 1
1cr = 1rc
1a1 = 1-alpha-1
1m3 = 1Milestone3
1 = 1.
1-foo = 1.0.0-foo.0.0
6.1.0rc3 < 6.1H.5-beta
20190126.230843 < 1234567890.12345
2.17.0 > 2.15.0`,
  RubyGems: `
1.0.0.rc1 < 1.0.0
1.0 = 1
1.0.a < 1.0
1.0.a10 > 1.0.a9
1.0.0-1 < 1.0.0
1.2.b1 > 1.2.a9
6.1.7.3 > 6.1.7
1.0.0.pre < 1.0.0.rc`,
};

describe('compareVersions', () => {
  for (const [ecosystem, text] of Object.entries(CASES)) {
    it(`orders ${ecosystem} versions by its own rules`, () => {
      for (const line of text.trim().split('\n')) {
        const [a, op, b] = line.trim().split(' ') as [string, string, string];
        const want = op === '<' ? -1 : op === '>' ? 1 : 0;
        assert.equal(compareVersions(ecosystem, a, b), want, `${ecosystem}: ${line}`);
        assert.equal(compareVersions(ecosystem, b, a), -want || 0, `${ecosystem}: ${line} (reversed)`);
      }
    });
  }

  it('takes OSV ecosystem names with a release suffix', () => {
    assert.equal(compareVersions('Debian:12', '1.0-1', '1.0-2'), -1);
    assert.equal(compareVersions('Ubuntu:22.04:LTS', '1.0-1ubuntu1', '1.0-1'), 1);
    assert.equal(compareVersions('Alpine:v3.19', '1.0-r1', '1.0-r0'), 1);
    assert.equal(compareVersions('Red Hat:rhel_aus:8.4::appstream', '1.0-1.el8', '1.0-2.el8'), -1);
  });

  it('rejects an ecosystem without a comparator and names the known ones', () => {
    assert.throws(() => compareVersions('CRAN', '1.0', '1.1'), /no version ordering for ecosystem 'CRAN'.*Debian/);
    assert.ok(SUPPORTED_ECOSYSTEMS.includes('RubyGems'));
  });
});

/**
 * The hop headers of a forwarded request: what one process signs, another with the same secret
 * reads back (the client's address and the forwarding process); a request without them is not
 * forwarded; anything else (another secret, another method or target, a changed address, an old
 * or future signature, a malformed or repeated header, the address alone) is forged.
 */
import { describe, expect, it } from 'vitest'
import {
  CLIENT_ADDRESS_HEADER,
  HOP_HEADER,
  HOP_MAX_SKEW_MS,
  HopSigner,
} from '../../server/src/cluster/hopSignature'
import {
  MIN_CLUSTER_SECRET_LENGTH,
  readClusterSecret,
  readInternalUrl,
} from '../../server/src/config'

const SECRET = 'k'.repeat(MIN_CLUSTER_SECRET_LENGTH)
const TARGET = '/api/negotiations/lmp-1997/clauses?x=1'

describe('HopSigner', () => {
  const signer = new HopSigner(SECRET)
  const now = 1_700_000_000_000

  it('reads back what a process with the same secret signed', () => {
    const headers = signer.sign('GET', TARGET, '203.0.113.7', 'owner-b', now)
    expect(new HopSigner(SECRET).check('GET', TARGET, headers, now + 1_000)).toEqual({
      kind: 'valid',
      hop: { address: '203.0.113.7', via: 'owner-b' },
    })
    expect(signer.check('GET', TARGET, {}, now)).toEqual({ kind: 'none' })
  })

  it('finds forged every header that is not exactly what was signed', () => {
    const signed = signer.sign('GET', TARGET, '203.0.113.7', 'owner-b', now)
    const hop = signed[HOP_HEADER] as string
    const forgeries: [string, string, Record<string, string | string[]>, number][] = [
      [
        'GET',
        TARGET,
        new HopSigner(`${SECRET}x`).sign('GET', TARGET, '203.0.113.7', 'b', now),
        now,
      ],
      ['POST', TARGET, signed, now],
      ['GET', '/api/negotiations/other/clauses', signed, now],
      ['GET', TARGET, { ...signed, [CLIENT_ADDRESS_HEADER]: '198.51.100.1' }, now],
      ['GET', TARGET, signed, now + HOP_MAX_SKEW_MS + 1],
      ['GET', TARGET, signed, now - HOP_MAX_SKEW_MS - 1],
      ['GET', TARGET, { [CLIENT_ADDRESS_HEADER]: '198.51.100.1' }, now],
      ['GET', TARGET, { [HOP_HEADER]: hop }, now],
      ['GET', TARGET, { ...signed, [HOP_HEADER]: [hop, hop] }, now],
      ['GET', TARGET, { ...signed, [HOP_HEADER]: hop.replace('v1.', 'v2.') }, now],
      ['GET', TARGET, { ...signed, [HOP_HEADER]: `${hop}.extra` }, now],
      ['GET', TARGET, { ...signed, [HOP_HEADER]: hop.replace('owner-b', 'owner-c') }, now],
      ['GET', TARGET, { ...signed, [HOP_HEADER]: 'v1.soon.owner-b.AAAA' }, now],
    ]
    for (const [method, target, headers, at] of forgeries)
      expect(signer.check(method, target, headers, at)).toEqual({ kind: 'forged' })
  })
})

describe('the forwarding settings', () => {
  it('reads INTERNAL_URL as an http origin, and refuses anything else', () => {
    expect(readInternalUrl('')).toBeNull()
    expect(readInternalUrl('http://10.0.0.5:8080/')).toBe('http://10.0.0.5:8080')
    for (const bad of [
      '10.0.0.5:8080',
      'https://a.example',
      'http://a.example/path',
      'http://u@a:1',
    ])
      expect(() => readInternalUrl(bad)).toThrow(RangeError)
  })

  it('reads CLUSTER_SECRET of at least the shortest length, never echoing it', () => {
    expect(readClusterSecret(undefined)).toBeNull()
    expect(readClusterSecret(SECRET)).toBe(SECRET)
    expect(() => readClusterSecret('short-secret')).toThrow(/at least/)
    expect(() => readClusterSecret('short-secret')).not.toThrow(/short-secret/)
  })
})

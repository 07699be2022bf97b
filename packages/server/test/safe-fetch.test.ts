import { describe, expect, it } from 'vitest';
import { hostMatches, isPublicAddress } from '../src/plugins/safe-fetch';

describe('ctx.fetch: what counts as outside the server’s network, and which hosts a manifest names', () => {
  it('takes only public unicast addresses as outside', () => {
    for (const inside of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fc00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1', 'not an address']) {
      expect(isPublicAddress(inside), inside).toBe(false);
    }
    for (const outside of ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(isPublicAddress(outside), outside).toBe(true);
  });

  it('matches exact names and *.domain subdomains, nothing looser', () => {
    const hosts = ['api.example.com', '*.clearbit.io'];
    expect(hostMatches('api.example.com', hosts)).toBe(true);
    expect(hostMatches('API.Example.com.', hosts)).toBe(true);
    expect(hostMatches('x.api.example.com', hosts)).toBe(false);
    expect(hostMatches('person.clearbit.io', hosts)).toBe(true);
    expect(hostMatches('clearbit.io', hosts)).toBe(false);
    expect(hostMatches('evilclearbit.io', hosts)).toBe(false);
    expect(hostMatches('clearbit.io.evil.com', hosts)).toBe(false);
  });
});

import { InvalidStoragePathError } from './storage-path';
import {
  belongsToTenant,
  dataKey,
  runObjectKey,
  tenantPrefix,
  tenantSegment,
  tenantVisiblePath,
} from './tenant-layout';

describe('tenant layout', () => {
  it('puts named paths under data/ and run objects under runs/<id>/, both under the tenant', () => {
    expect(dataKey('acme', 'memory//acme/./notes.md')).toBe('tenants/acme/data/memory/acme/notes.md');
    expect(runObjectKey('acme', 'r1', 'output.a.a1.json')).toBe('tenants/acme/runs/r1/output.a.a1.json');
  });

  it('encodes tenant ids that are not plain, injectively', () => {
    expect(tenantSegment('team-1_x')).toBe('team-1_x');
    expect(tenantSegment('..')).toBe('~Li4');
    expect(tenantSegment('a/b')).not.toBe(tenantSegment('a_b'));
    expect(tenantPrefix('a/b')).toMatch(/^tenants\/~[A-Za-z0-9_-]+\/$/);
  });

  it.each(['../b/data/x', '/etc/passwd', 'a\\..\\b', 'x/%2e%2e/y', 'a\0b', ''])(
    'refuses the tenant path %p',
    (path) => {
      expect(() => dataKey('acme', path)).toThrow(InvalidStoragePathError);
    },
  );

  it("tells a tenant's keys from anyone else's", () => {
    expect(belongsToTenant('tenants/acme/data/x', 'acme')).toBe(true);
    expect(belongsToTenant('tenants/acme2/data/x', 'acme')).toBe(false);
    expect(belongsToTenant('tenants/acme/../other/data/x', 'acme')).toBe(false);
    expect(belongsToTenant('tenants/other/data/x', 'acme')).toBe(false);
  });

  it('shows a tenant its own path', () => {
    expect(tenantVisiblePath('tenants/acme/data/memory/n.md', 'acme')).toBe('memory/n.md');
    expect(tenantVisiblePath('tenants/acme/runs/r1/file.a.a1.x', 'acme')).toBe('runs/r1/file.a.a1.x');
  });
});

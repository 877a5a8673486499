import { LIMIT_DEFINITIONS } from '@sandcastle/config';
import { readRepoFile } from './support/deploy-files.util';

/** The limits table in the docs names every limit with its real default (LIMIT_DEFINITIONS). */
describe('limits documentation', () => {
  it.each(['docs/security.md', 'docs/configuration.md'])('%s lists every limit with its default', (file) => {
    const text = readRepoFile(file);
    for (const [name, limit] of Object.entries(LIMIT_DEFINITIONS)) {
      const row = text.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      expect({ name, row: row !== undefined }).toEqual({ name, row: true });
      expect({ name, hasDefault: row!.includes(`\`${limit.default}\``) }).toEqual({ name, hasDefault: true });
      if (limit.code !== null)
        expect({ name, hasCode: row!.includes(limit.code) }).toEqual({ name, hasCode: true });
    }
  });

  it('.env.example shows every limit with its default', () => {
    const text = readRepoFile('.env.example');
    for (const [name, limit] of Object.entries(LIMIT_DEFINITIONS)) {
      expect(text).toContain(`# ${name}=${limit.default}\n`);
    }
  });
});

/** The documents of bench:validate, by type: the catalog's examples and the "ok" corpus beside it, else the sample. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSampleCda } from '../src/dev/sample-cda.js';

export function benchSamples(catalogDir: string | undefined): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  if (!catalogDir) {
    byType.set('LDO', [buildSampleCda()]);
    return byType;
  }
  const dirs = [path.join(catalogDir, 'examples', 'cda'), path.resolve(catalogDir, '..', 'corpus', 'ok')];
  for (const dir of dirs.filter(existsSync)) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.xml'))) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const key = f.replace(/(_CT\d+)?(_OK)?\.xml$/, '');
      byType.set(key, [...(byType.get(key) ?? []), text]);
    }
  }
  return byType;
}


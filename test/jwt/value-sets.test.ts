import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { projectRoot, readValueSets, valueSets } from '../../src/mappings/value-sets.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'fse-mappings-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('value sets', () => {
  test('loads the four JWT value sets from mappings/', () => {
    const sets = valueSets();
    assert.equal(sets.subjectRoles.length, 22);
    assert.ok(sets.subjectRoles.some((r) => r.code === 'DAP'));
    assert.deepEqual(sets.actionIds.map((a) => a.code), ['CREATE', 'UPDATE', 'DELETE', 'READ']);
    assert.ok(sets.purposesOfUse.some((p) => p.code === 'ACCESS UPDATE'));
    assert.equal(sets.organizations.length, 26);
  });

  test('follows the code table for 999/950 (spec 12 item 10)', () => {
    const org = (code: string) => valueSets().organizations.find((o) => o.code === code)?.description;
    assert.equal(org('999'), 'MDS');
    assert.equal(org('950'), 'GTW');
    assert.equal(org('190'), 'Regione Sicilia');
  });

  test('is frozen and loaded once', () => {
    assert.ok(Object.isFrozen(valueSets()));
    assert.ok(Object.isFrozen(valueSets().organizations));
    assert.ok(Object.isFrozen(valueSets().organizations[0]));
    assert.equal(valueSets(), valueSets());
  });

  test('refuses a mapping file with a duplicate code or a missing $comment', () => {
    cpSync(path.join(projectRoot, 'mappings'), tmp, { recursive: true });
    const file = path.join(tmp, 'action-ids.json');
    const original = JSON.parse(readFileSync(file, 'utf8')) as { $comment: string; actions: unknown[] };
    writeFileSync(file, JSON.stringify({ ...original, actions: [...original.actions, original.actions[0]] }));
    assert.throws(() => readValueSets(tmp), /action-ids\.json.*duplicate code/s);
    writeFileSync(file, JSON.stringify({ actions: original.actions }));
    assert.throws(() => readValueSets(tmp), /\$comment/);
  });
});

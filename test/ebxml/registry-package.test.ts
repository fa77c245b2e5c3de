import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFolder, decodeSubmissionSet, encodeFolder, encodeSubmissionSet, packageKind } from '../../src/ebxml/registry-package.js';
import { UUID_CONTEXT } from '../../src/ebxml/rim-read.js';
import { aFolder, aSubmissionSet } from '../support/xds-builders.js';
import { decodeFirst, encodeToXml } from './round-trip.js';

test('SubmissionSet round trip: domain -> RegistryPackage -> domain', () => {
  const ss = aSubmissionSet();
  const xml = encodeToXml((p) => encodeSubmissionSet(ss, p));
  assert.equal(decodeFirst(xml, 'rim:RegistryPackage', (el) => packageKind(el)), 'SubmissionSet');
  assert.deepEqual(decodeFirst(xml, 'rim:RegistryPackage', (el) => decodeSubmissionSet(el, UUID_CONTEXT)), ss);
});

test('SubmissionSet round trip with title, comments, recipients and extra slots', () => {
  const ss = aSubmissionSet({
    title: 'Invio', comments: 'note', intendedRecipients: ['Some Hospital^^^^^^^^^1.2.3.9.1789.45|^Wel^Marcus'],
    authors: [], extraSlots: { 'urn:ita:2022:custom': ['x'] },
  });
  const xml = encodeToXml((p) => encodeSubmissionSet(ss, p));
  assert.deepEqual(decodeFirst(xml, 'rim:RegistryPackage', (el) => decodeSubmissionSet(el, UUID_CONTEXT)), ss);
});

test('Folder round trip: domain -> RegistryPackage -> domain', () => {
  const folder = aFolder({ version: 3, lastUpdateTime: '20240401120000', comments: 'cartella', status: 'Deprecated' });
  const xml = encodeToXml((p) => encodeFolder(folder, p));
  assert.equal(decodeFirst(xml, 'rim:RegistryPackage', (el) => packageKind(el)), 'Folder');
  assert.deepEqual(decodeFirst(xml, 'rim:RegistryPackage', (el) => decodeFolder(el, UUID_CONTEXT)), folder);
});

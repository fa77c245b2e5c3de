import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDtm, isDtm14, toUtcDtm } from '../../src/metadata/dtm.ts';

describe('DTM (xds-ini digest, 3.7 and 10 item 5)', () => {
  test('CDA effectiveTime with an offset becomes UTC', () => {
    assert.equal(toUtcDtm('20260110103000+0100'), '20260110093000');
    assert.equal(toUtcDtm('20260110003000+0200'), '20260109223000');
    assert.equal(toUtcDtm('20260110103000-0530'), '20260110160000');
    assert.equal(toUtcDtm('20260110103000.123+0000'), '20260110103000');
    assert.equal(toUtcDtm('2026-01-10T10:30:00+01:00'), '20260110093000');
    assert.equal(toUtcDtm('2026-01-10T10:30:00Z'), '20260110103000');
  });

  test('without an offset the time is Italian local time (CET/CEST)', () => {
    assert.equal(toUtcDtm('20260110103000'), '20260110093000');
    assert.equal(toUtcDtm('20260710103000'), '20260710083000');
    assert.equal(toUtcDtm('20260110'), '20260109230000');
  });

  test('invalid values give undefined', () => {
    for (const bad of ['', 'abc', '2026011', '20261310103000+0100', '20260230103000', '20260110246000']) {
      assert.equal(toUtcDtm(bad), undefined, bad);
    }
    assert.equal(toUtcDtm('2026'), '20251231230000', 'a year alone is its first instant, local time');
  });

  test('formatDtm and isDtm14', () => {
    assert.equal(formatDtm(new Date('2026-03-04T05:06:07.890Z')), '20260304050607');
    assert.equal(isDtm14('20141020110012'), true);
    assert.equal(isDtm14('20141320110012'), false);
    assert.equal(isDtm14('20141020110012Z'), false);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { encodeProvideAndRegister } from '../../src/ebxml/provide-and-register.js';
import { decodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { SOAP_ACTION, STORED_QUERY } from '../../src/metadata/vocabulary.js';
import { OPEN_ACCESS_POLICY, samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { callSoap, withBody } from '../support/soap-calls.js';
import { createRegistryClient, createRepositoryClient, registryStoredQuery, retrieveDocumentSet } from '../support/soap-client.js';
import { docUniqueId, ldoSubmission, REGION_REPOSITORY, SAMPLE_PATIENT } from '../support/xds-submissions.js';

/*
 * A real SOAP client, the npm `soap` package, loads the team's WSDLs from the running bridge (`?wsdl` and the schemas
 * beside it) and calls ITI-18 and ITI-43 against it. See: wsdl/README.md; xds-ini digest 2.
 */
describe('the soap package, driven by the WSDLs the bridge serves', () => {
  let h: Harness;
  let pdf: Uint8Array;
  before(async () => {
    h = await startBridge({ FSE_ACCESS_POLICY: OPEN_ACCESS_POLICY });
    pdf = await samplePdf(buildSampleCda({ docExtension: 'SOAPPKG-1' }));
    const { xml, attachments } = encodeProvideAndRegister(ldoSubmission('SOAPPKG-1', { bytes: pdf }), { mtom: true });
    const published = withBody(await callSoap(h, 'repository', SOAP_ACTION.iti41, xml, { mtom: true, attachments }), decodeRegistryResponse);
    assert.equal(published.status, 'Success', JSON.stringify(published.errors));
  });
  after(async () => h.stop());

  test('GET ?wsdl answers the WSDL with this server\'s address', async () => {
    const res = await fetch(`${h.baseUrl}/xds/registry?wsdl`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, new RegExp(`location="${h.baseUrl}/xds/registry"`));
    assert.equal((await fetch(`${h.baseUrl}/xds/schema/rim.xsd`)).status, 200);
    assert.equal((await fetch(`${h.baseUrl}/xds/schema/..%2Fpackage.json`)).status, 404);
  });

  test('ITI-18 FindDocuments (LeafClass) through the soap client returns the published entry', async () => {
    const client = await createRegistryClient(h.baseUrl, { wsdlSource: 'bridge' });
    const result = await registryStoredQuery(client, {
      queryId: STORED_QUERY.FindDocuments,
      parameters: [
        { name: '$XDSDocumentEntryPatientId', values: [`'${SAMPLE_PATIENT}'`] },
        { name: '$XDSDocumentEntryStatus', values: ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"] },
      ],
    });
    assert.equal(result.status, 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success', JSON.stringify(result.errors));
    assert.equal(result.call.addressing.action, SOAP_ACTION.iti18Response);
    assert.equal(result.call.addressing.relatesTo, result.call.messageId);
    const entries = result.registryObjects.filter((o) => o.type === 'ExtrinsicObject');
    assert.equal(entries.length, 1);
    const uniqueId = entries[0]?.externalIdentifiers.find((e) => e.attributes.identificationScheme === 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab')?.attributes.value;
    assert.equal(uniqueId, docUniqueId('SOAPPKG-1'));
  });

  test('ITI-43 through the soap client returns the exact document bytes from the MTOM answer', async () => {
    const client = await createRepositoryClient(h.baseUrl, { wsdlSource: 'bridge' });
    const result = await retrieveDocumentSet(client, [{ repositoryUniqueId: REGION_REPOSITORY, documentUniqueId: docUniqueId('SOAPPKG-1') }]);
    assert.equal(result.status, 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success', JSON.stringify(result.errors));
    assert.equal(result.call.addressing.action, SOAP_ACTION.iti43Response);
    assert.equal(result.documents.length, 1);
    assert.equal(result.documents[0]?.viaXop, true);
    assert.deepEqual(result.documents[0]?.bytes, Buffer.from(pdf));
  });
});

import { SignedXml } from 'xml-crypto';
import { NS } from '../xml/xml-toolkit.js';
import { buildAssertion, type AssertionInput, type UnsignedAssertion } from './assertion-builder.js';
import type { SamlSigner } from './saml-signer.js';
import { DSIG, INCLUSIVE_PREFIXES } from './saml-vocabulary.js';

/**
 * Signs an assertion as the Gateway does: enveloped XML-DSig over the Assertion, RSA-SHA256, exclusive C14N for
 * SignedInfo, enveloped-signature + exc-c14n (InclusiveNamespaces PrefixList="xs") on the Reference, the certificate
 * in KeyInfo, and the Signature right after Issuer (schema order). Signing is the last step: the string returned is
 * sent as it is. See: xds-ini digest 7.4, pitfall 19; STYLE rule 15.
 */

/** A signed assertion: its ID and the exact XML to place in `wsse:Security` (no XML declaration). */
export interface SignedAssertion {
  readonly id: string;
  readonly xml: string;
}

const ASSERTION = `/*[local-name(.)='Assertion' and namespace-uri(.)='${NS.saml2}']`;
const ISSUER = `${ASSERTION}/*[local-name(.)='Issuer' and namespace-uri(.)='${NS.saml2}']`;
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Signs an assertion built by {@link buildAssertion}.
 * @param now checked against the certificate validity, so that no assertion leaves signed by an expired key.
 */
export function signAssertion(assertion: UnsignedAssertion, signer: SamlSigner, now = new Date()): SignedAssertion {
  const { certificate } = signer;
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) {
    throw new Error(`SAML signer: the certificate is not valid at ${now.toISOString()} (${certificate.validFrom} - ${certificate.validTo})`);
  }
  // The writer always opens with a declaration; a header element carries none, so it goes before signing,
  // never after. Nothing but that fixed prefix is touched.
  const xml = assertion.xml.startsWith(XML_DECLARATION) ? assertion.xml.slice(XML_DECLARATION.length) : assertion.xml;
  const sig = new SignedXml({
    privateKey: signer.privateKey,
    publicCert: signer.certificatePem,
    signatureAlgorithm: DSIG.rsaSha256,
    canonicalizationAlgorithm: DSIG.excC14n,
  });
  sig.addReference({
    xpath: ASSERTION,
    transforms: [DSIG.envelopedSignature, DSIG.excC14n],
    digestAlgorithm: DSIG.sha256,
    inclusiveNamespacesPrefixList: [...INCLUSIVE_PREFIXES],
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: ISSUER, action: 'after' } });
  return { id: assertion.id, xml: sig.getSignedXml() };
}

/** Builds and signs in one step: the usual call of the INI client. */
export function buildSignedAssertion(input: AssertionInput, signer: SamlSigner): SignedAssertion {
  const now = input.now ?? new Date();
  return signAssertion(buildAssertion({ ...input, now }), signer, now);
}

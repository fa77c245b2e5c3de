/**
 * The fixed URIs of the INI SAML assertion and of its XML signature, in one place so that the builder, the signer and
 * the verifier cannot drift apart. See: xds-ini digest 7.1, 7.2, 7.4; SAML 2.0 Core 8.2; XMLDSig 1.1 6.
 */

/** Attribute NameFormats. See: xds-ini digest 7.2 (URI names use `uri`, the SubjectApplication* ones `basic`). */
export const NAME_FORMAT = {
  uri: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
  basic: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
} as const;

/** The AuthnContextClassRef the Gateway states. See: xds-ini digest 7.1. */
export const AUTHN_CONTEXT_X509 = 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509';

/** XML-DSig algorithm identifiers this module signs with or may accept. See: xds-ini digest 7.4. */
export const DSIG = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  /** Seen in Italian samples ([WXDSB]); accepted inbound only when a caller allows it explicitly. */
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  /** OpenSAML 2.6's default digest (what the Gateway sends); accepted only when allowed explicitly. */
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

/**
 * The InclusiveNamespaces PrefixList of the exc-c14n transform: `xs` is used only inside attribute content
 * (`xsi:type="xs:string"`), which exclusive C14N does not see, so it must be kept explicitly. See: xds-ini digest 7.4.
 */
export const INCLUSIVE_PREFIXES: readonly string[] = ['xs'];

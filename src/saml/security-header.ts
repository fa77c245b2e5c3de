import type { XmlElement } from 'libxml2-wasm';
import { NS } from '../xml/xml-toolkit.js';
import { SamlError } from './saml-error.js';

/**
 * The one assertion of a `wsse:Security` header, for `verifyAssertion`. INI puts exactly one Assertion there; a
 * header with two (an unsigned one first, the signed original after it: XSW3/XSW5 at header level) must not leave
 * the choice to whichever reader looks first. See: xds-ini digest 7.1 (Placement), 2.6.
 */

/**
 * The Assertion that is a child of `security`, when it is the only assertion anywhere in the header.
 * @throws SamlError `unsigned` when there is none, `wrapping` when there are several.
 */
export function singleAssertionOf(security: XmlElement): XmlElement {
  const all = security.find('.//saml2:Assertion | .//saml2:EncryptedAssertion', { saml2: NS.saml2 });
  const children = security.find('saml2:Assertion', { saml2: NS.saml2 });
  if (all.length === 0) throw new SamlError('unsigned', 'the Security header carries no SAML assertion');
  if (all.length > 1 || children.length !== 1) {
    throw new SamlError('wrapping', `the Security header must carry exactly one saml2:Assertion as a child, found ${all.length}`);
  }
  return children[0] as XmlElement;
}

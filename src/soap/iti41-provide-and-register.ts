import { decodeProvideAndRegister } from '../ebxml/provide-and-register.js';
import { encodeRegistryResponse } from '../ebxml/registry-response.js';
import { provideAndRegister, type ProvideAndRegisterDeps } from '../operations/iti41-provide-and-register.js';
import type { SoapHandler } from './soap-router.js';

/**
 * ITI-41 Provide and Register Document Set-b over SOAP: decodes the ProvideAndRegisterDocumentSetRequest (MTOM parts
 * or inline base64) into a Submission, runs the pipeline's operation, encodes its RegistryResponse.
 * See: xds-ini digest 4.1; IHE ITI TF-2b 3.41.
 */
export function iti41ProvideAndRegister(deps: ProvideAndRegisterDeps): SoapHandler {
  return async (call) => {
    const submission = decodeProvideAndRegister(call.envelope.body, call.parts);
    const response = await provideAndRegister({ submission, caller: call.caller, ctx: call.ctx }, deps);
    return { body: (parent) => encodeRegistryResponse(response, parent), outcome: response.status };
  };
}

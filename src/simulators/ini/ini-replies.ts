import type { DecodedRegistryError } from '../../ebxml/registry-error-list.js';
import { encodeRegistryResponse } from '../../ebxml/registry-response.js';
import type { RegistryError } from '../../errors/xds-codes.js';
import type { IniReply } from './ini-soap-router.js';
import type { ResponseStatus } from '../../domain/registry-response.js';

/** The RegistryResponse answers of INI's write services. See: xds-ini digest 4 (common response shape), 3.6. */
export function registryReply(status: ResponseStatus, errors: readonly RegistryError[] = []): IniReply {
  return { status, body: (parent) => void encodeRegistryResponse({ status, errors }, parent) };
}

/**
 * Errors a region answered, relayed as they are: their codes may be ones this project never raises (INI-specific
 * codes), which the writer copies verbatim; only the type is widened here. See: xds-ini digest 9 (INI specifics).
 */
export function relayedErrors(errors: readonly DecodedRegistryError[]): RegistryError[] {
  return errors.map((e) => e as unknown as RegistryError);
}

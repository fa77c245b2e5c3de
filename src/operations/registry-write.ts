import { isRegistryStoreError } from '../stores/store-errors.js';
import type { RegistryResponse } from '../domain/registry-response.js';

/**
 * Runs a write of the regional registry and answers as a transaction does: Success, or Failure carrying the store's
 * IHE error (a constraint the registry enforces); anything else is unexpected and propagates.
 */
export async function registryWrite(write: () => Promise<unknown>): Promise<RegistryResponse> {
  try {
    await write();
  } catch (err) {
    if (isRegistryStoreError(err)) return { status: 'Failure', errors: [err.toRegistryError()] };
    throw err;
  }
  return { status: 'Success', errors: [] };
}

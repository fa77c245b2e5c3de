import type { Finding } from '../validation/findings.js';

/** The Gateway's warning texts. See: Gateway API digest, 3.1 and 7.5. */
export const SIGN_WARN = '[SIGN_WARN - Attenzione il documento risulta firmato in validazione]';
export const WARNING_EXTRACT = "[WARNING_EXTRACT]Attenzione, non è stata selezionata la modalità di estrazione del CDA";
/** Separates national warnings from the region's own. See: Gateway API digest, 1.4 (warning convention). */
export const MIDDLEWARE_WARNING = '--middlewarewarning--';
const MAX_WARNING = 200_000;

export interface WarningParts {
  readonly signed: boolean;
  readonly modeDeclared: boolean;
  readonly national: readonly Finding[];
  readonly regional: readonly string[];
}

/**
 * Composes `warning` as the Gateway does (sign warning, then schematron warnings; everything wrapped with the
 * extraction warning when `mode` was omitted), then appends the regional part once, after the national one.
 * Returns undefined when there is nothing to say (the field is then omitted).
 */
export function composeWarning(parts: WarningParts): string | undefined {
  let national = parts.signed ? SIGN_WARN : '';
  if (parts.national.length > 0) national += `[${parts.national.map((f) => f.message).join(',')}]`;
  if (!parts.modeDeclared) national = `[${national}${WARNING_EXTRACT}]`;
  const regional = parts.regional.length > 0 ? `${MIDDLEWARE_WARNING}${parts.regional.join('; ')}` : '';
  const warning = national + regional;
  if (!warning) return undefined;
  return warning.length > MAX_WARNING ? `${warning.slice(0, MAX_WARNING - 3)}...` : warning;
}

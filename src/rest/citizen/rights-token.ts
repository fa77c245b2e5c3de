import { z } from 'zod';
import type { AccessPolicy } from '../../access/access-policy.js';
import type { Requester } from '../../access/requester.js';
import { personKey } from '../../domain/ids.js';
import { FseError } from '../../errors/fse-error.js';
import { isValidCxFiscalCode } from '../../jwt/claims.js';
import type { RequestContext } from '../../logging/context.js';
import type { RightsCall } from '../../operations/citizen/citizen-call.js';
import type { Headers } from '../rest-types.js';
import type { TokenVerifier } from '../token-verifier.js';

/**
 * The citizen API's and the rights operators' credential: the Bearer JWT alone, verified as producers' are (RS256,
 * `x5c` chained to `FSE_TRUSTED_CA`, times, audience), issued by a system the region lists (its portal, its
 * console), with the Gateway's claim names: `sub` the requester's fiscal code as a CX, `subject_role`, `person_id`
 * the patient a delegate, parent or guardian acts for, `purpose_of_use` for operators. Translated here into the
 * requester the operations decide on; nothing is decided here. See: Gateway API digest 5.3; privacy digest 1, 5.
 */
export interface RightsTokenDeps {
  readonly tokens: TokenVerifier;
  readonly policy: AccessPolicy;
  /** `iss` values (`auth:<CN>`) accepted; `['*']` any token chaining to the trust anchors (`start --dev`). */
  readonly issuers: readonly string[];
  /** Allow the Gateway's special fiscal codes (ENI/STP/ANA): `FSE_ALLOW_SPECIAL_FISCAL_CODES`. */
  readonly allowSpecialFiscalCodes: boolean;
}

const Claims = z.looseObject({
  sub: z.string().min(1),
  subject_role: z.string().min(1),
  person_id: z.string().min(1).optional(),
  purpose_of_use: z.string().min(1).optional(),
  subject_organization_id: z.string().min(1).optional(),
});

type Door = 'citizen' | 'operator';

async function verified(headers: Headers, deps: RightsTokenDeps, door: Door) {
  let identity;
  try {
    identity = await deps.tokens.authenticateBearer(headers);
  } catch (err) {
    // Whatever GovWay-style check failed (missing header, signature, chain, time), the answer is 401 with the cause.
    const detail = err instanceof FseError ? err.detail : 'Invalid token';
    throw new FseError('tokenAuthentication', detail, { cause: err });
  }
  if (!deps.issuers.includes('*') && (identity.iss === undefined || !deps.issuers.includes(identity.iss))) {
    const name = door === 'citizen' ? 'FSE_CITIZEN_ISSUERS' : 'FSE_RIGHTS_OPERATOR_ISSUERS';
    throw new FseError('forbidden', deps.issuers.length === 0
      ? `no ${door === 'citizen' ? 'citizen portal' : 'rights operator system'} is configured: the region lists their token issuers in ${name}`
      : `tokens of ${String(identity.iss)} are not accepted here (${name})`);
  }
  const parsed = Claims.safeParse(identity.claims);
  if (!parsed.success) throw new FseError('mandatoryElementToken', `the token lacks ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const claims = parsed.data;
  if (!isValidCxFiscalCode(claims.sub, deps.allowSpecialFiscalCodes)) throw new FseError('mandatoryElementToken', 'sub is not a fiscal code in CX form');
  return { claims, iss: identity.iss ?? 'unknown' };
}

/** A citizen's call: ASS for oneself, ING/GEN/TUT for the patient `person_id` names (required for them). */
export async function citizenCallOf(headers: Headers, ctx: RequestContext, deps: RightsTokenDeps): Promise<RightsCall> {
  const { claims, iss } = await verified(headers, deps, 'citizen');
  const roles = deps.policy.citizenRoles;
  const agent = [...roles.delegate, ...roles.parent, ...roles.guardian].includes(claims.subject_role);
  if (!agent && !roles.self.includes(claims.subject_role)) throw new FseError('forbidden', `subject_role ${claims.subject_role} is not a citizen's role`);
  if (agent && claims.person_id === undefined) throw new FseError('mandatoryElementToken', `subject_role ${claims.subject_role} acts for a patient: person_id names them`);
  if (claims.person_id !== undefined && !isValidCxFiscalCode(claims.person_id, deps.allowSpecialFiscalCodes)) {
    throw new FseError('mandatoryElementToken', 'person_id is not a fiscal code in CX form');
  }
  const requester: Requester = {
    channel: 'token', verified: true, viaIni: false, subject: personKey(claims.sub), role: claims.subject_role,
    // The portal is the citizen's own channel: PERSONAL, whatever else the token says.
    purpose: 'PERSONAL', patient: personKey(claims.person_id ?? claims.sub),
  };
  return { requester, subjectId: claims.sub, counterpart: iss, channel: 'citizen-portal', ctx };
}

/** A rights operator's call (OGC, purpose CONSENT, as the policy's `rightsOperators` says); the patient is in the path. */
export async function operatorCallOf(headers: Headers, ctx: RequestContext, deps: RightsTokenDeps): Promise<RightsCall> {
  const { claims, iss } = await verified(headers, deps, 'operator');
  const ops = deps.policy.rightsOperators;
  if (!ops.roles.includes(claims.subject_role)) throw new FseError('forbidden', `subject_role ${claims.subject_role} does not manage citizens' rights (${ops.roles.join('/')})`);
  if (claims.purpose_of_use === undefined || !ops.purposes.includes(claims.purpose_of_use)) {
    throw new FseError('forbidden', `purpose_of_use must be ${ops.purposes.join('/')}`);
  }
  const requester: Requester = {
    channel: 'token', verified: true, viaIni: false, subject: personKey(claims.sub), role: claims.subject_role,
    purpose: claims.purpose_of_use, organizationId: claims.subject_organization_id,
  };
  return { requester, subjectId: claims.sub, counterpart: iss, channel: 'operator', ctx };
}

import { FseError } from '../../errors/fse-error.js';
import type { RequestContext } from '../../logging/context.js';
import type { Logger } from '../../logging/logger.js';
import type { CdaValidator } from '../../validation/validation-pool.js';
import type { IniFailureMode, IniLeg } from './ini-leg.js';
import type { SimHeaders, SimMultipartBody } from './sim-http.js';
import type { Caller, SimState } from './sim-state.js';
import type { SimTokens } from './sim-tokens.js';

/** A decoded call to one of the simulated endpoints. */
export interface SimInput {
  readonly headers: SimHeaders;
  readonly ctx: RequestContext;
  readonly caller: Caller;
  readonly multipart?: SimMultipartBody;
  readonly json?: string;
  /** The path's document id (already percent-decoded). */
  readonly pathId?: string;
}

/** What the simulated operations use. */
export interface SimOperationDeps {
  readonly state: SimState;
  readonly tokens: SimTokens;
  readonly validator: CdaValidator;
  readonly logger: Logger;
  /** The simulator's clock (moved by the clock-offset switch). */
  readonly now?: () => Date;
  /** INI behind the simulator (the `ini` option); absent, the simulator's map stands for INI. */
  readonly ini?: IniLeg;
  /** The `iniFailure` switch. */
  readonly iniFailure?: () => IniFailureMode;
}

/** The `file` and `requestBody` parts; a missing one is Spring's 400. See: Gateway API digest, 2.2. */
export function partsOf(body: SimMultipartBody | undefined): { file: Buffer; rawBody: string } {
  const file = body?.files.get('file') ?? (body?.fields.has('file') ? Buffer.from(body.fields.get('file') ?? '') : undefined);
  if (!file) throw new FseError('genericBadRequest', "Required part 'file' is not present.");
  const rawBody = body?.fields.get('requestBody') ?? body?.files.get('requestBody')?.toString('utf8');
  if (rawBody === undefined) throw new FseError('genericBadRequest', "Required part 'requestBody' is not present.");
  return { file, rawBody };
}

import type { IniFailureMode } from './ini-leg.js';
import { INI_BLOCKING_MESSAGE, INI_TIMEOUT_MESSAGE } from './ini-leg.js';
import type { StatusEvent } from './sim-state.js';

/**
 * The INI event of an operation when no INI runs behind the simulator (its own map stands for INI): SUCCESS, the
 * refusal INI would give (`failure`), or what the `iniFailure` switch fakes. See: ini-leg.ts; Gateway API digest 8.3.
 */
export function localIniOutcome(mode: IniFailureMode, failure?: string): Pick<StatusEvent, 'eventStatus' | 'message'> {
  if (failure !== undefined) return { eventStatus: 'BLOCKING_ERROR', message: failure };
  switch (mode) {
    case 'none': return { eventStatus: 'SUCCESS' };
    case 'blocking': return { eventStatus: 'BLOCKING_ERROR', message: INI_BLOCKING_MESSAGE };
    case 'timeout-after-indexing': return { eventStatus: 'BLOCKING_ERROR', message: INI_TIMEOUT_MESSAGE };
  }
}

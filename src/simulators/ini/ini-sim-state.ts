import type { IniService } from '../../metadata/ini-service-paths.js';
import type { IniOperation } from './ini-services.js';
import type { ResponseStatus } from '../../domain/registry-response.js';

/**
 * The INI simulator's switches and its log of received requests (control calls excluded), modelled on the Gateway
 * simulator's. See: src/simulators/gateway/sim-control.ts, sim-state.ts.
 */

/** `refuse`: the port is closed (connection refused); `503`: every call answered 503 as by a proxy in front of INI. */
export type IniOutageMode = 'refuse' | '503';

export interface IniSwitches {
  /** Added before every answer. */
  latencyMs: number;
  outage: IniOutageMode | false;
}

export function createIniSwitches(): IniSwitches {
  return { latencyMs: 0, outage: false };
}

/** One SOAP request received by INI. */
export interface IniReceivedRequest {
  readonly time: Date;
  readonly path: string;
  readonly service?: IniService;
  /** `wsa:Action` (or the fallback the router used). */
  action?: string;
  operation?: IniOperation;
  /** From the verified assertion; absent when it was refused. */
  samlIssuer?: string;
  samlRole?: string;
  samlPurpose?: string;
  samlActionId?: string;
  /** The patient the call is about (SAML resource-id). */
  patientId?: string;
  /** The answer: a response status, or `Fault` with its subcode. */
  status?: ResponseStatus | 'Fault';
  faultSubcode?: string;
  httpStatus?: number;
}

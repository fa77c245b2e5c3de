import { setTimeout as sleep } from 'node:timers/promises';
import type { XmlElement } from 'libxml2-wasm';
import type { IniService } from '../metadata/ini-service-paths.js';
import type { MimePart } from '../soap-wire/multipart-related.js';
import { isXdsError } from '../errors/xds-codes.js';
import { readResponseBody, SoapTransportError, type SoapCaller } from '../soap-wire/soap-client.js';
import { XmlInputError } from '../xml/xml-toolkit.js';
import type { XmlBuilder } from '../xml/xml-writer.js';
import { iniAssertion, type IniRequester, type RegionAssertionDefaults } from './ini-assertion.js';
import { IniBrokenAnswerError, IniUnavailableError } from './ini-errors.js';

/**
 * The one way the region calls INI, whatever the transaction: each attempt with a freshly signed assertion for its
 * requester, within what is left of the operation's deadline. Technical failures are retried with doubling delays
 * within it, as the Gateway treats INI's (digest 9, last paragraph): no answer, a SOAP fault of either code (a fresh
 * assertion may pass where the last did not, e.g. after a clock skew), an HTTP error page; a business answer never is.
 * What fails on INI's side leaves as an {@link IniError} only: {@link IniUnavailableError} once the retries or the
 * deadline run out, {@link IniBrokenAnswerError} for an answer that is no envelope or does not decode; the SOAP and
 * codec errors behind them are their `cause`. A business answer (Failure, errors) is the decoded result.
 * See: xds-ini digest 2.1-2.8, 7.3, 9.
 */
export interface IniCallOptions {
  readonly urls: Readonly<Record<IniService, string>>;
  readonly caller: SoapCaller;
  readonly region: RegionAssertionDefaults;
  /** Further attempts after the first on a technical failure. */
  readonly retries: number;
  /** Default deadline of one operation, retries included. */
  readonly budgetMs: number;
}

/** One INI transaction: where it goes, what it carries, for whom, and how its answer's body element is read. */
export interface IniExchange<T> {
  readonly service: IniService;
  readonly action: string;
  readonly requester: IniRequester;
  readonly body: (parent: XmlBuilder) => void;
  /** Reads the answer's body element; `parts` are the MTOM parts of an ITI-43 answer. */
  readonly decode: (element: XmlElement, parts: ReadonlyMap<string, MimePart>) => T;
  /** This operation's deadline, retries included, instead of the client's default. */
  readonly budgetMs?: number;
}

/** Sends an exchange and resolves to its decoded answer. */
export type IniCall = <T>(exchange: IniExchange<T>) => Promise<T>;

/** A technical failure: no answer, a SOAP fault, or an HTTP error whose body is no envelope (a proxy's page). */
function transient(err: unknown, status: number | undefined): boolean {
  if (!(err instanceof SoapTransportError)) return false;
  return err.reason !== 'malformed' || (status !== undefined && status >= 400);
}

/**
 * What a failure that is not retried (any more) leaves the call as. An IniBrokenAnswerError of the decoding passes
 * as it is; so does an error that is neither INI's transport nor its answer (a request that cannot be encoded or
 * signed is the caller's own).
 */
function iniErrorOf(service: IniService, err: unknown, technical: boolean): unknown {
  if (technical) return new IniUnavailableError(service, `INI ${service}: ${(err as Error).message}`, { cause: err });
  if (err instanceof SoapTransportError) return new IniBrokenAnswerError(service, err.message, { cause: err });
  return err;
}

/** The answer's body element decoded; a codec refusing it makes the answer a broken one. */
function decodeAnswer<T>(service: IniService, element: XmlElement, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (isXdsError(err) || err instanceof XmlInputError) {
      throw new IniBrokenAnswerError(service, `the answer's ${element.name} does not decode: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

/** The call over the client's SOAP caller, URLs, assertion defaults, retries and default deadline. */
export function createIniCall(options: IniCallOptions): IniCall {
  return async function call<T>({ service, action, requester, body, decode, budgetMs }: IniExchange<T>): Promise<T> {
    const deadline = Date.now() + (budgetMs ?? options.budgetMs);
    let delay = 100;
    for (let attempt = 0; ; attempt += 1) {
      let status: number | undefined;
      try {
        const res = await options.caller.call({
          url: options.urls[service], action, body, assertionXml: iniAssertion(requester, options.region).xml, timeoutMs: Math.max(1, deadline - Date.now()),
        });
        status = res.status;
        return readResponseBody(res, (element) => decodeAnswer(service, element, () => decode(element, res.parts)));
      } catch (err) {
        const retry = transient(err, status);
        if (!retry || attempt >= options.retries || deadline - Date.now() <= delay) throw iniErrorOf(service, err, retry);
        await sleep(delay);
        delay *= 2;
      }
    }
  };
}

import { INI_SERVICE_PATHS, type IniService } from '../metadata/ini-service-paths.js';

/**
 * The URL of every INI service: the base URL plus the service's path of {@link INI_SERVICE_PATHS}, unless overridden
 * (production URLs are not in the sources). See: xds-ini digest 2.8, Appendix B item 1.
 */
export function iniServiceUrls(baseUrl: string, overrides: Partial<Record<IniService, string>> = {}): Readonly<Record<IniService, string>> {
  const base = baseUrl.replace(/\/+$/, '');
  const urls = {} as Record<IniService, string>;
  for (const [service, path] of Object.entries(INI_SERVICE_PATHS) as [IniService, string][]) urls[service] = overrides[service] ?? `${base}${path}`;
  return urls;
}

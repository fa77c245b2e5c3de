import { parseArgs } from 'node:util';
import { createDevPki, DEV_P12_PASSWORD } from '../../certs/dev-ca.js';
import type { CliIo } from '../io.js';

const USAGE = 'usage: fse-bridge certs init DIR [--cn CN] [--org CODE]';

/**
 * `fse-bridge certs init DIR`: writes a development PKI (CA, authentication, signature and localhost server
 * certificates, `sign.p12`); existing files are kept. See: Gateway API digest, 5.1.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { cn: { type: 'string' }, org: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [action, dir, ...extra] = parsed.positionals;
  if (parsed.values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  if (action !== 'init' || dir === undefined || extra.length > 0) {
    io.stderr(USAGE);
    return 2;
  }
  if (parsed.values.org !== undefined && !/^[0-9]{3}$/.test(parsed.values.org)) {
    io.stderr(`--org must be a 3-digit organization code (see mappings/organizations.json)\n${USAGE}`);
    return 2;
  }
  try {
    const pki = createDevPki(dir, { cn: parsed.values.cn, orgCode: parsed.values.org });
    io.stdout(pki.created.length === 0 ? `Development PKI already present in ${dir}; nothing written.` : `Wrote ${pki.created.length} files in ${dir}:`);
    for (const file of pki.created) io.stdout(`  ${file}`);
    io.stdout(`Trust anchor: ${pki.caCert}\nSignature certificate: ${pki.signCert} (key ${pki.signKey})`);
    io.stdout(`PKCS#12 of the signature certificate: ${pki.signP12} (password: ${DEV_P12_PASSWORD})`);
    return 0;
  } catch (error) {
    io.stderr(`certs init failed: ${(error as Error).message}`);
    return 1;
  }
}

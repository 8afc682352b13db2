/**
 * `zicht conformance --role vt|gemeente|gateway --target URL [--key tester.jwk] [--report DIR]
 * [--expected-failures FILE]`: runs the conformance suite (conformance/) against a vendor's system.
 * Exit 0 every must case passes, 1 a must case fails (or an expected failure passes), 2 the suite
 * could not run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import { IoError, JsonError, UsageError } from '../../errors.js';
import { Oin } from '../../model/primitives.js';
import { Versleutelingssleutel } from '../../registry/versleutelingssleutel.js';
import type { Role } from '../../../conformance/case.js';
import { suiteNetwork, suiteRegistry } from '../../../conformance/network.js';
import { parseExpectedFailures, runConformance, type RunOptions } from '../../../conformance/runner.js';
import { writeReports } from '../../../conformance/report/write.js';
import { commandTrigger, urlTrigger, type Trigger } from '../../../conformance/trigger.js';
import { withUsageErrors } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { parseStrictJson } from '../../json/strict-json.js';

const usage = `usage: zicht conformance --role vt|gemeente|gateway --target URL [--key tester.jwk] [--report DIR]
                         [--expected-failures FILE] [options]

Runs the Zicht v1 conformance suite against a system (see conformance/README.md).

  --role gemeente   TARGET is the system's Zicht endpoint (pushes go to TARGET/berichten); the suite
                    plays VT and the gateway. Also: --oin, --gemeentecode, --sut-jwks, and a hook for a
                    person's decision on a handover (scenarios geaccepteerd, niet-geaccepteerd):
                    --trigger-url URL (POST {scenario, case, gateway, berichtId, regie?, reden?}; 409 when
                    decided already) or --trigger-command CMD (sh -c, also ZICHT_BERICHT_ID, ZICHT_REGIE,
                    ZICHT_REDEN; exit 3 when decided already); without, those cases are skipped.
  --mode push|postbus  (role gemeente) postbus: the system reads GET /v1/postbus at the suite and
                    acknowledges what it takes, instead of taking pushes (no --target needed)
  --role gateway    TARGET is the gateway's base URL; the suite plays every sender and receiver.
                    Register the suite's parties first: --write-registry FILE. Also: --gateway-oin.
  --role vt         TARGET is the VT system's own Zicht endpoint (receipts are pushed to TARGET/berichten);
                    the suite plays the gateway: configure the system with the suite's URL as gateway.
                    Also: --oin (default 00000004000000010001), --sut-jwks, and a hook to trigger each
                    scenario: --trigger-url URL (POST {scenario, case, gateway}) or --trigger-command CMD
                    (sh -c, with ZICHT_SCENARIO, ZICHT_CASE, ZICHT_GATEWAY_URL); without, trigger by hand.
  --key FILE        the tester's private JWK (zicht keys generate); default a fresh key per run
  --report DIR      write report.json, junit.xml and report.html into DIR
  --expected-failures FILE  case ids expected to fail, one a line (# comments)
  --listen HOST:PORT        where the suite listens (default 127.0.0.1:8790)
  --oin OIN --gemeentecode GMnnnn   the system's identity (gemeente default 00000001000000009170, GM0917)
  --sut-jwks FILE   the system's public JWK Set (its registered keys: to verify its signatures and tokens)
  --sut-rol lokaal-team|gemeente  (role gemeente) the role the system is registered with: every bericht
                    names it so, and its receipts must carry it; without, the role each example gives the
                    receiver the system plays (lokaal-team in the handovers, gemeente in the escalatie)
  --sut-enc-keys FILE  (role gemeente) the encryption keys the system registered, as a list of
                    versleutelingssleutels (zicht keys generate --use enc): the suite then also pushes
                    as JWE (ENC-003/004); without, those cases are skipped
  --gateway-oin OIN the gateway's OIN (default 00000009000000000001)
  --timeout SEC     how long to wait for what the system must send (default 10)
  --write-registry FILE  (role gateway) write the suite's participants as a registry file and stop

Exit: 0 every must case passes, 1 a must case fails or an expected failure passes, 2 the suite could not run.
`;

/** The system's encryption keys from a file, checked as the registry checks them (ENC-001). */
function encryptionKeysOf(path: string): Versleutelingssleutel[] {
  const parsed = Versleutelingssleutel.array().min(1).safeParse(readJson(path));
  if (!parsed.success) throw new UsageError(`${path} is not a list of versleutelingssleutels (ENC-001; zicht keys generate --use enc writes one)`);
  return parsed.data;
}

function readJson(path: string): unknown {
  try {
    return parseStrictJson(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof JsonError ? error.message : ((error as NodeJS.ErrnoException).code ?? 'invalid JSON');
    throw new IoError(`cannot read ${path} as JSON (${reason})`, { cause: error });
  }
}

export const conformanceCommand: Command = {
  name: 'conformance',
  summary: 'run the conformance suite against a VT system, a gemeente system or a gateway',
  usage,
  async run(args, io) {
    const { values } = withUsageErrors(() =>
      parseArgs({
        args: [...args],
        options: {
          role: { type: 'string' },
          target: { type: 'string' },
          key: { type: 'string' },
          report: { type: 'string' },
          'expected-failures': { type: 'string' },
          listen: { type: 'string', default: '127.0.0.1:8790' },
          oin: { type: 'string' },
          gemeentecode: { type: 'string', default: 'GM0917' },
          'sut-jwks': { type: 'string' },
          'sut-enc-keys': { type: 'string' },
          'sut-rol': { type: 'string' },
          'gateway-oin': { type: 'string', default: '00000009000000000001' },
          timeout: { type: 'string', default: '10' },
          'write-registry': { type: 'string' },
          'trigger-url': { type: 'string' },
          'trigger-command': { type: 'string' },
          mode: { type: 'string', default: 'push' },
        },
        strict: true,
      }),
    );
    const role = values.role as Role | undefined;
    if (role !== 'vt' && role !== 'gemeente' && role !== 'gateway') throw new UsageError('--role must be vt, gemeente or gateway');
    const listen = /^([^:]+):(\d{1,5})$/.exec(values.listen);
    if (!listen?.[1] || listen[2] === undefined) throw new UsageError('--listen must be HOST:PORT');
    const host = listen[1];
    const port = Number(listen[2]);
    const timeout = Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive number of seconds');
    const oin = values.oin ?? (role === 'vt' ? '00000004000000010001' : '00000001000000009170');
    if (!Oin.safeParse(oin).success || !Oin.safeParse(values['gateway-oin']).success) throw new UsageError('an OIN is 20 digits');
    if (!/^GM\d{4}$/.test(values.gemeentecode)) throw new UsageError('--gemeentecode must be GM and four digits');
    const privateJwk = values.key === undefined ? undefined : readJson(values.key);
    const network = await suiteNetwork(privateJwk, undefined, { perParty: role !== 'gateway' && privateJwk === undefined });

    if (values['write-registry'] !== undefined) {
      if (role !== 'gateway') throw new UsageError('--write-registry is for role gateway');
      const file = { zichtRegistry: 1, deelnemers: suiteRegistry(network, `http://${host}:${port}`) };
      try {
        writeFileSync(values['write-registry'], `${JSON.stringify(file, null, 2)}\n`);
      } catch (error) {
        throw new IoError(`cannot write ${values['write-registry']}`, { cause: error });
      }
      io.stdout(`Wrote ${file.deelnemers.length} participants to ${values['write-registry']}: add them to the gateway's registry.\n`);
      return EXIT.ok;
    }
    if (values.mode !== 'push' && values.mode !== 'postbus') throw new UsageError('--mode must be push or postbus');
    if (values.mode === 'postbus' && role !== 'gemeente') throw new UsageError('--mode postbus is for role gemeente');
    const postbus = values.mode === 'postbus';
    if (postbus && values.target === undefined) values.target = 'postbus:';
    if (values.target === undefined || (!postbus && !/^https?:\/\//.test(values.target))) throw new UsageError('--target must be an http(s) URL');
    const sutRol = values['sut-rol'];
    if (sutRol !== undefined && sutRol !== 'lokaal-team' && sutRol !== 'gemeente') throw new UsageError('--sut-rol must be lokaal-team or gemeente');
    if (sutRol !== undefined && role !== 'gemeente') throw new UsageError('--sut-rol is for role gemeente');
    let sut: RunOptions['sut'];
    let sender: { oin: string; jwks: JSONWebKeySet } | undefined;
    let trigger: Trigger | undefined;
    if (role === 'gemeente' || role === 'vt') {
      if (values['sut-jwks'] === undefined) throw new UsageError(`role ${role} needs --sut-jwks FILE (the system's public keys)`);
      const jwks = readJson(values['sut-jwks']) as JSONWebKeySet;
      if (role === 'gemeente') sut = { oin, gemeentecode: values.gemeentecode, jwks, ...(values['sut-enc-keys'] === undefined ? {} : { versleutelingssleutels: encryptionKeysOf(values['sut-enc-keys']) }), ...(sutRol === undefined ? {} : { rol: sutRol }) };
      else sender = { oin, jwks };
    }
    if (values['sut-enc-keys'] !== undefined && role !== 'gemeente') throw new UsageError('--sut-enc-keys is for role gemeente');
    if (values['trigger-url'] !== undefined || values['trigger-command'] !== undefined) {
      if (role === 'gateway') throw new UsageError('--trigger-url and --trigger-command are for roles vt and gemeente');
      if (values['trigger-url'] !== undefined && values['trigger-command'] !== undefined) throw new UsageError('give --trigger-url or --trigger-command, not both');
      if (values['trigger-url'] !== undefined && !/^https?:\/\//.test(values['trigger-url'])) throw new UsageError('--trigger-url must be an http(s) URL');
      trigger = values['trigger-url'] !== undefined ? urlTrigger(values['trigger-url']) : commandTrigger(values['trigger-command'] ?? '', timeout * 1000);
    }
    let expectedFailures: Set<string> | undefined;
    if (values['expected-failures'] !== undefined) {
      const path = values['expected-failures'];
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        throw new IoError(`cannot read ${path}`, { cause: error });
      }
      try {
        expectedFailures = parseExpectedFailures(text);
      } catch (error) {
        throw new UsageError(`${path}: ${(error as Error).message}`);
      }
    }

    let report;
    try {
      report = await runConformance({
        role,
        target: values.target,
        ...(postbus ? { mode: 'postbus' as const } : {}),
        network,
        gatewayOin: values['gateway-oin'],
        listen: { host, port },
        timeoutMs: timeout * 1000,
        ...(sut === undefined ? {} : { sut }),
        ...(sender === undefined ? {} : { sender }),
        ...(trigger === undefined ? {} : { trigger }),
        onPrompt: (scenario, text) => {
          if (role === 'gemeente') io.stderr(`${scenario.case}: the hook is asked for scenario "${scenario.scenario}" on handover ${scenario.berichtId ?? ''}: ${text} (waiting up to ${timeout} s).\n`);
          else io.stderr(`${scenario.case}: trigger scenario "${scenario.scenario}" in your system now: ${text} (waiting up to ${timeout} s)${trigger ? '; triggered by the hook' : ''}.\n`);
        },
        ...(expectedFailures === undefined ? {} : { expectedFailures }),
        onListening: (url) => {
          io.stderr(`The suite listens at ${url}${role === 'gateway' ? '' : ' (configure the system with this gateway URL)'}.\n`);
          if (role === 'gemeente' && trigger === undefined) io.stderr('No --trigger-url or --trigger-command: the cases of a person\'s decision on a handover (geaccepteerd, niet-geaccepteerd) are skipped.\n');
        },
        onResult: (r) => { io.stdout(`${r.outcome.padEnd(5)} ${r.id} [${r.level}] ${r.title}${r.outcome === 'pass' ? '' : `: ${r.reason}`}${r.expectedFailure ? ' (expected failure)' : ''}\n`); },
      });
    } catch (error) {
      io.stderr(`The suite could not run: ${error instanceof Error ? error.message : 'unknown error'}\n`);
      return EXIT.usage;
    }
    const { summary, coverage } = report;
    io.stdout(`\n${summary.pass} pass, ${summary.fail} fail, ${summary.skip} skip, ${summary.error} error. Coverage: ${coverage.covered.length}/${coverage.errorRules} error rules have a case${coverage.uncovered.length > 0 ? ` (none yet: ${coverage.uncovered.join(', ')})` : ''}.\n`);
    if (report.unexpectedPasses.length > 0) io.stdout(`Expected failures that pass (remove them from the list): ${report.unexpectedPasses.join(', ')}\n`);
    if (report.diagnosis !== undefined) io.stdout(`${report.diagnosis}\n`);
    if (values.report !== undefined) {
      try {
        for (const path of writeReports(report, values.report)) io.stdout(`wrote ${path}\n`);
      } catch (error) {
        throw new IoError(`cannot write the reports into ${values.report}`, { cause: error });
      }
    }
    return report.mustFailed.length === 0 && report.unexpectedPasses.length === 0 ? EXIT.ok : EXIT.findings;
  },
};

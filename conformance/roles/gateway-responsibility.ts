/**
 * Role gateway: who holds zicht op veiligheid (spec/v1/responsibility.md), judged without trusting the gateway.
 * The suite recomputes the answer from the countersigned berichten it sent (each verified with the parties'
 * keys and the gateway's published key, src/lifecycle/offline.ts) with the standard's own evaluation, and
 * compares it with the gateway's GET /v1/dossiers/{ref}/verantwoordelijkheid at every instant a bericht of the
 * dossier was sent and the millisecond before: a household in two gemeenten whose teams name one lead
 * (Z-L 5.2.4), an acceptance, a refusal that names the lead, a closure.
 */
import { isDeepStrictEqual } from 'node:util';
import { evalueerTrail, verifieerTrail } from '../../src/lifecycle/offline.js';
import type { Bericht } from '../../src/model/bericht.js';
import { Transportbevestiging } from '../../src/model/transportbevestiging.js';
import { publishedProfielen } from '../../src/profiles/load.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { fail, pass, type ConformanceCase } from '../case.js';
import { caseId } from '../ids.js';
import { keysOf, sendValid, validInOrder, type GatewayContext } from './gateway.js';

const DOSSIER_EXAMPLE = 'overdracht-na-dienst-onderzoek';

export const responsibilityCase: ConformanceCase<GatewayContext> = {
  id: caseId('gateway', 31),
  title: 'Answers who holds zicht op veiligheid as the standard evaluates the countersigned trail, at every instant (responsibility.md)',
  rules: [],
  level: 'must',
  async run(context, evidence) {
    // The valid examples, sent once per run (shared with CNF-401): one dossier's trail among them.
    const trail: Bericht[] = [];
    for (const example of validInOrder()) {
      const { json, response } = await sendValid(context, example.name, evidence);
      const receipt = Transportbevestiging.safeParse(response.json);
      if (response.status !== 202 || !receipt.success) return fail(`${example.name} got HTTP ${response.status}; the trail could not be built`);
      trail.push({ ...json, signatures: [...((json.signatures as unknown[] | undefined) ?? []), receipt.data.handtekening] } as unknown as Bericht);
    }
    const handover = trail.find((b) => b.berichtType === 'overdracht' && b.inhoud.moment === 'na-dienst' && b.ontvangers.filter((o) => o.kopie !== true).length >= 2);
    if (handover === undefined) return fail(`no handover to two gemeenten among the examples (${DOSSIER_EXAMPLE})`);
    const ref = handover.dossier.referentie;
    const { keys } = await keysOf(context);
    const verified = await verifieerTrail(trail.filter((b) => b.dossier.referentie === ref).map((b, i) => ({ naam: `${i}`, bytes: new TextEncoder().encode(JSON.stringify(b)) })), keys);
    if (verified.fouten.length > 0) return fail(`the countersigned trail does not verify (${verified.fouten.map((f) => f.code).join(', ')})`);

    const vt = handover.verzender.oin;
    const ask = async (op: Date): Promise<{ status: number; json: unknown }> => {
      const token = await createBearerToken(await context.network.signer(vt), context.gatewayOin);
      const request = `GET {target}/v1/dossiers/{ref}/verantwoordelijkheid?op=${op.toISOString()}`;
      const response = await fetch(`${context.url}/v1/dossiers/${encodeURIComponent(ref)}/verantwoordelijkheid?op=${encodeURIComponent(op.toISOString())}`, { headers: { authorization: `Bearer ${token}` } });
      const json: unknown = response.headers.get('content-type')?.startsWith('application/json') === true ? await response.json() : undefined;
      evidence.push({ direction: 'received', request, status: response.status });
      return { status: response.status, json };
    };
    const now = new Date();
    const first = await ask(now);
    if (first.status !== 200) return fail(`GET /v1/dossiers/{ref}/verantwoordelijkheid answered ${first.status} to the dossier's VT`);
    const profielId = (first.json as { profiel?: unknown } | undefined)?.profiel;
    const profiel = typeof profielId === 'string' ? publishedProfielen().get(profielId) : undefined;
    if (profiel === undefined) return fail('the answer names no published region profile (spec/v1/profiles/)');

    const instants = new Set<number>([now.getTime()]);
    for (const g of verified.berichten) for (const d of [-1, 0]) instants.add(Date.parse(g.rcv) + d);
    let compared = 0;
    for (const t of [...instants].filter((x) => x <= now.getTime()).sort((a, b) => a - b)) {
      const op = new Date(t);
      const expected = evalueerTrail(verified.berichten, ref, profiel, op)?.verantwoordelijkheid;
      const answer = t === now.getTime() ? first : await ask(op);
      if (answer.status !== 200) return fail(`at ${op.toISOString()} the gateway answered ${answer.status}`);
      if (!isDeepStrictEqual(answer.json, JSON.parse(JSON.stringify(expected)))) {
        const got = answer.json as { stand?: string; verantwoordelijke?: { oin?: string } } | undefined;
        return fail(`at ${op.toISOString()} the gateway says ${got?.stand ?? '?'} ${got?.verantwoordelijke?.oin ?? ''}; the countersigned trail says ${expected?.stand ?? '?'} ${expected?.verantwoordelijke?.oin ?? ''} (profiel ${profiel.id})`);
      }
      compared += 1;
    }
    return pass(`the gateway's answer equals the evaluation of the countersigned trail at ${compared} instants (profiel ${profiel.id})`);
  },
};

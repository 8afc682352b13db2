/** Routing against the participant registry: RTE-001..003, push or pull per receiver. */
import { describe, expect, it } from 'vitest';
import { Deelnemer, type DeelnemerInput } from '../../src/registry/deelnemer.js';
import { routeBericht } from '../../src/routing/route.js';
import type { Bericht } from '../../src/model/bericht.js';
import { example } from '../helpers/examples.js';

const VT_ZL = '00000004000000010001';
const LT_HRL = '00000001000000009170';
const LT_KRK = '00000001000000009280';

const registry = (overrides: Partial<Record<string, Partial<DeelnemerInput>>> = {}): Deelnemer[] =>
  [
    { oin: VT_ZL, rol: 'vt', naam: 'Veilig Thuis Zuid-Limburg', vtRegio: 'zuid-limburg', status: 'actief' },
    { oin: LT_HRL, rol: 'lokaal-team', naam: 'Sociaal team Heerlen', gemeentecodes: ['GM0917'], status: 'actief', afleveradressen: [{ url: 'https://heerlen.example/zicht/v1', kanaal: 'zicht-v1' }] },
    { oin: LT_KRK, rol: 'lokaal-team', naam: 'Sociaal team Kerkrade', gemeentecodes: ['GM0928'], status: 'actief' },
  ].map((d) => Deelnemer.parse({ ...d, ...overrides[d.oin] }));

const handover = (): Bericht => example('overdracht-na-dienst-onderzoek');
const rules = (result: ReturnType<typeof routeBericht>): string[] => (result.ok ? [] : result.issues.map((i) => `${i.rule} ${i.path}`));

describe('routeBericht', () => {
  it('routes a handover of a household in two gemeenten to both lokaal teams, push or pull', () => {
    const result = routeBericht(handover(), registry());
    expect(result).toEqual({
      ok: true,
      bestemmingen: [
        { oin: LT_HRL, kopie: false, mode: 'push', url: 'https://heerlen.example/zicht/v1' },
        { oin: LT_KRK, kopie: false, mode: 'pull' },
      ],
    });
  });

  it('delivers once to a participant named once per gemeente it serves (BER-008), in cc only when every mention is', () => {
    const regional = registry({ [LT_HRL]: { gemeentecodes: ['GM0917', 'GM0928'] } }).filter((d) => d.oin !== LT_KRK);
    const bericht = handover();
    const both = { ...bericht, ontvangers: bericht.ontvangers.map((o) => ({ ...o, oin: LT_HRL })) };
    expect(routeBericht(both, regional)).toEqual({ ok: true, bestemmingen: [{ oin: LT_HRL, kopie: false, mode: 'push', url: 'https://heerlen.example/zicht/v1' }] });
    const ccFirst = { ...both, ontvangers: [{ ...both.ontvangers[0]!, kopie: true }, both.ontvangers[1]!] };
    expect(routeBericht(ccFirst, regional)).toMatchObject({ ok: true, bestemmingen: [{ oin: LT_HRL, kopie: false }] });
  });

  it('refuses a sender that is not registered, suspended, or registered with another role (RTE-001)', () => {
    expect(rules(routeBericht(handover(), registry().filter((d) => d.oin !== VT_ZL)))).toEqual(['RTE-001 $.verzender']);
    expect(rules(routeBericht(handover(), registry({ [VT_ZL]: { status: 'geschorst' } })))).toEqual(['RTE-001 $.verzender']);
    expect(rules(routeBericht(handover(), registry({ [VT_ZL]: { rol: 'gemeente' } })))).toEqual(['RTE-001 $.verzender']);
  });

  it('refuses a receiver that is suspended, has another role, or does not serve the gemeentecode (RTE-002)', () => {
    expect(rules(routeBericht(handover(), registry({ [LT_KRK]: { status: 'geschorst' } })))).toContain('RTE-002 $.ontvangers[1]');
    expect(rules(routeBericht(handover(), registry({ [LT_KRK]: { rol: 'gi' } })))).toContain('RTE-002 $.ontvangers[1]');
    expect(rules(routeBericht(handover(), registry({ [LT_KRK]: { gemeentecodes: ['GM0917'] } })))).toContain('RTE-002 $.ontvangers[1]');
  });

  it('refuses a handover for a gemeente no active participant serves, instead of queueing it forever (RTE-003)', () => {
    const result = routeBericht(handover(), registry({ [LT_KRK]: { status: 'geschorst' } }));
    expect(rules(result)).toEqual(['RTE-002 $.ontvangers[1]', 'RTE-003 $.inhoud.directbetrokkenen[2].adres.gemeentecode']);
  });

  it('routes a receipt back to VT', () => {
    const receipt = example('ontvangstbevestiging-geaccepteerd');
    expect(routeBericht(receipt, registry())).toEqual({ ok: true, bestemmingen: [{ oin: VT_ZL, kopie: false, mode: 'pull' }] });
  });
});

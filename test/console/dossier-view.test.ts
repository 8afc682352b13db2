/**
 * The console's dossier page shows a household in two gemeenten (Z-L 5.2.4) as the API answers it: each
 * receiving team, what it confirmed and the lead it named, and that VT holds zicht until the afstemming is
 * complete (issue 17). Rendered from the same ledger and the same function as GET /v1/dossiers/{ref}/verantwoordelijkheid.
 */
import { describe, expect, it } from 'vitest';
import { dossierView } from '../../src/console/views.js';
import { buildLedger } from '../../src/lifecycle/ledger.js';
import { verantwoordelijkheid } from '../../src/lifecycle/verantwoordelijkheid.js';
import { LT_HEERLEN, LT_KERKRADE, ontvangst, overdrachtNaDienst, profiel, VT } from '../lifecycle/dossier.js';

const render = async (html: ReturnType<typeof dossierView>) => String(await html);

describe('console dossier page, two gemeenten', () => {
  it('shows each team, its answer and the lead it named, and who holds zicht by the handover, as the query does', async () => {
    const h = overdrachtNaDienst();
    const heerlen = ontvangst(h, LT_HEERLEN, 'geaccepteerd', '2026-06-16T09:10:00+02:00', { regie: LT_HEERLEN });
    const kerkradeOntvangen = ontvangst(h, LT_KERKRADE, 'ontvangen', '2026-06-16T10:00:00+02:00');
    const halfway = buildLedger([h, heerlen, kerkradeOntvangen], profiel('zuid-limburg'), { nu: new Date('2026-06-16T12:00:00+02:00') });
    const page = await render(dossierView(new Map(), halfway));
    const answer = verantwoordelijkheid(halfway, new Date(halfway.nu));
    expect(answer.verantwoordelijke?.oin).toBe(VT);
    expect(page).toContain(`data-oin="${LT_HEERLEN}" data-status="geaccepteerd" data-regie="${LT_HEERLEN}"`);
    expect(page).toContain(`data-oin="${LT_KERKRADE}" data-status="ontvangen"`);
    expect(page).toContain(`zicht bij`);
    expect(page).toContain(answer.overdrachten[0]?.toelichting ?? 'none');

    const kerkrade = ontvangst(h, LT_KERKRADE, 'geaccepteerd', '2026-06-16T14:00:00+02:00', { regie: LT_HEERLEN });
    const done = buildLedger([h, heerlen, kerkradeOntvangen, kerkrade], profiel('zuid-limburg'), { nu: new Date('2026-06-17T12:00:00+02:00') });
    const after = await render(dossierView(new Map(), done));
    expect(after).toContain(`data-oin="${LT_KERKRADE}" data-status="geaccepteerd" data-regie="${LT_HEERLEN}"`);
    expect(after).toContain('overgang.meerdereGemeenten');
    expect(verantwoordelijkheid(done, new Date(done.nu)).verantwoordelijke).toMatchObject({ oin: LT_HEERLEN, mede: [LT_KERKRADE] });
  });
});

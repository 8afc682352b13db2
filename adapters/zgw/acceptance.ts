/**
 * The gemeente's acceptance, from ZGW to Zicht: the Notificaties API reports a new status on a zaak
 * the adapter made; the adapter fetches that status from the Zaken API itself (a notification is a
 * hint, not evidence) and only when the status belongs to that zaak and has the configured
 * statustype "geaccepteerd" does it sign an ontvangstbevestiging `geaccepteerd` as the gemeente and
 * send it to the gateway (POST /v1/berichten). Nothing else ever produces an acceptance.
 */
import { randomUUID } from 'node:crypto';
import type { Bericht } from '../../src/model/bericht.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { signBericht } from '../../src/signing/sign.js';
import type { ZgwConfig } from './config.js';
import { checkStatus, zgwRequest } from './client.js';
import { ZgwError } from './errors.js';
import type { ZaakLink, ZaakLinks } from './links.js';

/** The members of a ZGW notification (Notificaties API, `Kennisgeving`) the adapter reads. */
export interface Notificatie {
  readonly kanaal: string;
  readonly hoofdObject: string;
  readonly resource: string;
  readonly resourceUrl: string;
  readonly actie: string;
}

/** What handling a status notification came to. */
export type AcceptanceOutcome = 'geaccepteerd' | 'ander-status' | 'niet-van-ons' | 'al-geaccepteerd' | 'afstemming-ontbreekt';

/** The ontvangstbevestiging geaccepteerd for a linked handover, signed by the gemeente; `regie` for two or more gemeenten. */
async function ontvangstbevestiging(link: ZaakLink, config: ZgwConfig, links: ZaakLinks, now: Date, regie: string | undefined): Promise<Bericht> {
  const bericht: Bericht = {
    specVersie: '1.0',
    berichtId: randomUUID(),
    berichtType: 'ontvangstbevestiging',
    verzender: { oin: config.gemeente.oin, rol: config.gemeente.rol },
    ontvangers: [{ oin: link.vtOin, rol: 'vt' }],
    verzondenOp: now.toISOString(),
    dossier: { referentie: link.dossier, volgnummer: links.nextVolgnummer(link.dossier) },
    inAntwoordOp: link.berichtId,
    inhoud: { status: 'geaccepteerd', ontvangenOp: link.ontvangenOp, behandelaar: config.behandelaar, ...(regie === undefined ? {} : { afstemming: { regie } }) },
  };
  return signBericht(bericht, config.gemeente.signer);
}

/** Sends a signed bericht to the gateway as the gemeente; throws {@link ZgwError} unless it is accepted (202). */
export async function sendToGateway(bericht: Bericht, config: ZgwConfig): Promise<void> {
  let status: number;
  try {
    const response = await fetch(`${config.gateway.url.replace(/\/$/, '')}/v1/berichten`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(config.gemeente.signer, config.gateway.oin)}` },
      body: JSON.stringify(bericht),
      signal: AbortSignal.timeout(10_000),
    });
    // Read the (small) transport receipt to the end, so that the connection is released for reuse.
    await response.arrayBuffer();
    status = response.status;
  } catch {
    throw new ZgwError('ZGW_UNAVAILABLE');
  }
  checkStatus(status);
}

/**
 * Handles one notification. Throws {@link ZgwError} when the Zaken API or the gateway fails; then
 * nothing is marked accepted and the same notification can be handled again.
 */
export async function handleNotificatie(notificatie: Notificatie, config: ZgwConfig, links: ZaakLinks, now: () => Date = () => new Date()): Promise<AcceptanceOutcome> {
  const link = links.byZaak(notificatie.hoofdObject);
  if (link === undefined || notificatie.kanaal !== 'zaken' || notificatie.resource !== 'status' || notificatie.actie !== 'create') return 'niet-van-ons';
  if (link.geaccepteerd) return 'al-geaccepteerd';
  // Only the gemeente's own Zaken API is asked: a notification cannot send the adapter elsewhere.
  if (!notificatie.resourceUrl.startsWith(`${config.api.zaken}/statussen/`)) return 'niet-van-ons';
  const status = await zgwRequest(config.client, 'GET', notificatie.resourceUrl);
  if (status.zaak !== link.zaak) return 'niet-van-ons';
  if (status.statustype !== config.catalogus.statustypeGeaccepteerd) return 'ander-status';
  // Two or more gemeenten: an acceptance names the lead the gemeenten agreed (VRW-001); without one, none is sent.
  const regie = link.teams.length >= 2 ? config.regie?.(link) : undefined;
  if (link.teams.length >= 2 && regie === undefined && link.ontvangstbevestiging === undefined) return 'afstemming-ontbreekt';
  link.ontvangstbevestiging ??= await ontvangstbevestiging(link, config, links, now(), regie);
  links.save(link);
  await sendToGateway(link.ontvangstbevestiging, config);
  link.geaccepteerd = true;
  links.save(link);
  return 'geaccepteerd';
}

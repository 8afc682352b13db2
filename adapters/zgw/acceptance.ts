/**
 * The gemeente's acceptance, from ZGW to Zicht: the Notificaties API reports a new status on a zaak
 * the adapter made; the adapter fetches that status from the Zaken API itself (a notification is a
 * hint, not evidence) and only when the status belongs to that zaak and has the configured
 * statustype "geaccepteerd" does it sign an ontvangstbevestiging `geaccepteerd` as the gemeente and
 * send it to the gateway (POST /v1/berichten, with the client library). Nothing else ever produces an
 * acceptance. Before it, each handover got its automatic `ontvangen` (AFL-005) as soon as its zaak was made.
 */
import { randomUUID } from 'node:crypto';
import type { Bericht } from '../../src/model/bericht.js';
import type { ZichtClient } from '../../src/client/client.js';
import { ClientError, KeyError, SignatureError } from '../../src/errors.js';
import { signBericht } from '../../src/signing/sign.js';
import type { ZgwConfig } from './config.js';
import { zgwRequest } from './client.js';
import { ZgwError } from './errors.js';
import { updateLink, type ZaakLink, type ZaakLinks } from './links.js';

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

/** The gemeente's receipt of a linked handover, unsigned: VT is its receiver, the next volgnummer of the dossier. */
function receipt(link: ZaakLink, config: ZgwConfig, links: ZaakLinks, verzondenOp: Date, inhoud: Extract<Bericht, { berichtType: 'ontvangstbevestiging' }>['inhoud']): Bericht {
  return {
    specVersie: '1.0',
    berichtId: randomUUID(),
    berichtType: 'ontvangstbevestiging',
    verzender: { oin: config.gemeente.oin, rol: config.gemeente.rol },
    ontvangers: [{ oin: link.vtOin, rol: 'vt' }],
    verzondenOp: verzondenOp.toISOString(),
    dossier: { referentie: link.dossier, volgnummer: links.nextVolgnummer(link.dossier) },
    inAntwoordOp: link.berichtId,
    inhoud,
  };
}

/** The ontvangstbevestiging geaccepteerd for a linked handover, signed by the gemeente; `regie` for two or more gemeenten. */
async function ontvangstbevestiging(link: ZaakLink, config: ZgwConfig, links: ZaakLinks, now: Date, regie: string | undefined): Promise<Bericht> {
  const inhoud = { status: 'geaccepteerd' as const, ontvangenOp: link.ontvangenOp, behandelaar: config.behandelaar, ...(regie === undefined ? {} : { afstemming: { regie } }) };
  return signBericht(receipt(link, config, links, now, inhoud), config.gemeente.signer);
}

/** Sends a signed bericht to the gateway as the gemeente (the adapter's {@link ZichtClient}); resolves once the gateway accepted it. */
export type SendToGateway = (bericht: Bericht) => Promise<void>;

/**
 * Submits a signed bericht with the client library: a fresh bearer token, and the gateway's transport receipt
 * checked (its countersignature over the bericht as sent) before it counts as accepted. One attempt: the
 * adapter retries with its own policy, resending the same bericht (the gateway de-duplicates it, BER-015).
 *
 * @throws {ZgwError} `ZGW_UNAVAILABLE` (no answer, 5xx, 429) or `ZGW_REFUSED` (a 4xx, or a receipt that does not verify).
 */
export async function sendToGateway(bericht: Bericht, zicht: ZichtClient): Promise<void> {
  try {
    await zicht.submit(bericht);
  } catch (error) {
    if (error instanceof ClientError) throw new ZgwError(error.code === 'ZICHT_CLIENT_REFUSED' ? 'ZGW_REFUSED' : 'ZGW_UNAVAILABLE', error.problem.status === 0 ? undefined : error.problem.status);
    if (error instanceof SignatureError || error instanceof KeyError) throw new ZgwError('ZGW_REFUSED');
    throw error;
  }
}

/**
 * The automatic receipt of a handover (AFL-005): `ontvangen`, as soon as the handover is stored as a zaak, without
 * waiting for a person; made and signed once, kept in the link so that every retry sends the same bericht.
 */
export async function ontvangenFor(link: ZaakLink, config: ZgwConfig, links: ZaakLinks, now: Date = new Date()): Promise<Bericht> {
  const made = links.byBericht(link.berichtId)?.ontvangen ?? link.ontvangen;
  if (made !== undefined) return made;
  const verzondenOp = new Date(Math.max(now.getTime(), Date.parse(link.ontvangenOp)));
  const signed = await signBericht(receipt(link, config, links, verzondenOp, { status: 'ontvangen', ontvangenOp: link.ontvangenOp, behandelaar: config.behandelaar }), config.gemeente.signer);
  // Made by another task while this one signed: the one saved first is the one sent, always.
  return updateLink(links, link, (l) => { l.ontvangen ??= signed; }).ontvangen ?? signed;
}

/** Sends the link's automatic receipt unless the gateway has it already. */
export async function sendOntvangen(link: ZaakLink, links: ZaakLinks, send: SendToGateway): Promise<void> {
  const current = links.byBericht(link.berichtId) ?? link;
  if (current.ontvangen === undefined || current.ontvangenVerzonden === true) return;
  await send(current.ontvangen);
  updateLink(links, current, (l) => { l.ontvangenVerzonden = true; });
}

/**
 * Sends what a link's signed receipts still wait for, in their order: the `ontvangen`, then the acceptance. For
 * the adapter's start: a receipt signed before a restart is sent again, the same bericht (Q98; BER-015 makes it
 * harmless if the gateway had it).
 */
export async function sendUnsent(link: ZaakLink, links: ZaakLinks, send: SendToGateway): Promise<void> {
  await sendOntvangen(link, links, send);
  const current = links.byBericht(link.berichtId) ?? link;
  if (current.ontvangstbevestiging === undefined || current.geaccepteerd) return;
  await send(current.ontvangstbevestiging);
  updateLink(links, current, (l) => { l.geaccepteerd = true; });
}

/**
 * Handles one notification. Throws {@link ZgwError} when the Zaken API or the gateway fails; then
 * nothing is marked accepted and the same notification can be handled again.
 */
export async function handleNotificatie(notificatie: Notificatie, config: ZgwConfig, links: ZaakLinks, send: SendToGateway, now: () => Date = () => new Date()): Promise<AcceptanceOutcome> {
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
  // The automatic receipt goes first (its volgnummer is lower), if it is still on its way; if the status was set
  // before the push that stored the zaak made it (AFL-005), it is made here, and that push then sends this one.
  if (link.teams.includes(config.gemeente.oin)) await ontvangenFor(link, config, links, now());
  await sendOntvangen(link, links, send);
  const made = links.byBericht(link.berichtId)?.ontvangstbevestiging ?? (await ontvangstbevestiging(link, config, links, now(), regie));
  const kept = updateLink(links, link, (l) => { l.ontvangstbevestiging ??= made; }).ontvangstbevestiging ?? made;
  await send(kept);
  updateLink(links, link, (l) => { l.geaccepteerd = true; });
  return 'geaccepteerd';
}

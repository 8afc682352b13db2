/**
 * msw handlers for the ZGW APIs a gemeente runs (Zaken API 1.x, Documenten API 1.x), following their
 * contracts as far as the adapter uses them: the JWT (HS256 under the client's secret, with iss,
 * client_id, iat, user_id and user_representation), the CRS headers of the Zaken API (412 without),
 * required fields and their formats (400 with invalidParams), resource URLs that must exist. A request
 * the real API would refuse is refused here, so it fails the test. `down` makes an API answer 503.
 */
import { randomUUID } from 'node:crypto';
import { jwtVerify } from 'jose';
import { http, HttpResponse } from 'msw';

export const ZAKEN = 'https://openzaak.gemeente.example/zaken/api/v1';
export const DOCUMENTEN = 'https://openzaak.gemeente.example/documenten/api/v1';
export const CATALOGI = 'https://openzaak.gemeente.example/catalogi/api/v1';
export const CLIENT = { clientId: 'zicht-zgw-adapter', secret: 'een-gedeeld-geheim-van-de-gemeente' };

type Json = Record<string, unknown>;

/** The fake installation's state; `base` is where it runs (default the msw host above; a real HTTP server on localhost gives its own). */
export class ZgwFake {
  readonly api: { readonly zaken: string; readonly documenten: string; readonly catalogi: string };
  readonly zaaktype: string;
  readonly informatieobjecttype: string;
  readonly statustypeGeaccepteerd: string;
  readonly statustypeIntake: string;
  readonly roltypen = new Set<string>();
  readonly zaken = new Map<string, Json>();
  readonly documenten = new Map<string, Json>();
  readonly zaakinformatieobjecten: Json[] = [];
  readonly rollen: Json[] = [];
  readonly statussen = new Map<string, Json>();
  /** Requests refused, with why (so a test can show what the real API would have said). */
  readonly refusals: string[] = [];
  down = { zaken: false, documenten: false };

  constructor(base?: string) {
    this.api = base === undefined ? { zaken: ZAKEN, documenten: DOCUMENTEN, catalogi: CATALOGI } : { zaken: `${base}/zaken/api/v1`, documenten: `${base}/documenten/api/v1`, catalogi: `${base}/catalogi/api/v1` };
    this.zaaktype = `${this.api.catalogi}/zaaktypen/${randomUUID()}`;
    this.informatieobjecttype = `${this.api.catalogi}/informatieobjecttypen/${randomUUID()}`;
    this.statustypeGeaccepteerd = `${this.api.catalogi}/statustypen/${randomUUID()}`;
    this.statustypeIntake = `${this.api.catalogi}/statustypen/${randomUUID()}`;
  }

  roltype(): string {
    const url = `${this.api.catalogi}/roltypen/${randomUUID()}`;
    this.roltypen.add(url);
    return url;
  }

  /** A status set on a zaak by the gemeente's case worker. */
  setStatus(zaak: string, statustype: string): string {
    const url = `${this.api.zaken}/statussen/${randomUUID()}`;
    this.statussen.set(url, { url, zaak, statustype, datumStatusGezet: new Date().toISOString(), statustoelichting: '' });
    return url;
  }
}

const RSIN = /^\d{9}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const VERTROUWELIJKHEID = ['openbaar', 'beperkt_openbaar', 'intern', 'zaakvertrouwelijk', 'vertrouwelijk', 'confidentieel', 'geheim', 'zeer_geheim'];

function invalid(fake: ZgwFake, names: string[]) {
  fake.refusals.push(`400 ${names.join(',')}`);
  return HttpResponse.json({ type: 'validation', code: 'invalid', title: 'Invalid input.', status: 400, invalidParams: names.map((name) => ({ name, code: 'invalid', reason: 'invalid' })) }, { status: 400 });
}

/** The ZGW JWT check of every API (403 for a token that is not valid for this client). */
async function authorised(fake: ZgwFake, request: Request): Promise<Response | undefined> {
  const token = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  if (token === undefined) {
    fake.refusals.push('401 no JWT');
    return HttpResponse.json({ code: 'not_authenticated', status: 401 }, { status: 401 });
  }
  try {
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(CLIENT.secret), { algorithms: ['HS256'] });
    const now = Math.floor(Date.now() / 1000);
    const ok =
      protectedHeader.alg === 'HS256' &&
      payload.iss === CLIENT.clientId &&
      payload.client_id === CLIENT.clientId &&
      typeof payload.iat === 'number' &&
      Math.abs(now - payload.iat) <= 300 &&
      typeof payload.user_id === 'string' &&
      typeof payload.user_representation === 'string';
    if (ok) return undefined;
  } catch {
    // falls through to 403
  }
  fake.refusals.push('403 JWT');
  return HttpResponse.json({ code: 'permission_denied', status: 403 }, { status: 403 });
}

/** The Zaken API refuses calls without the CRS headers (412). */
function crs(fake: ZgwFake, request: Request, body: boolean): Response | undefined {
  if (request.headers.get('accept-crs') === 'EPSG:4326' && (!body || request.headers.get('content-crs') === 'EPSG:4326')) return undefined;
  fake.refusals.push('412 CRS');
  return HttpResponse.json({ code: 'precondition_failed', status: 412 }, { status: 412 });
}

const unavailable = () => HttpResponse.json({ code: 'unavailable' }, { status: 503 });

const str = (value: unknown, max: number, required = true): boolean => (value === undefined ? !required : typeof value === 'string' && value.length > 0 && value.length <= max);

/** The handlers, over one fake. */
export function zgwHandlers(fake: ZgwFake) {
  const { zaken: ZAKEN, documenten: DOCUMENTEN } = fake.api;
  return [
    http.post(`${ZAKEN}/zaken`, async ({ request }) => {
      if (fake.down.zaken) return unavailable();
      const refusal = (await authorised(fake, request)) ?? crs(fake, request, true);
      if (refusal) return refusal;
      const body = (await request.json()) as Json;
      const bad = [
        ...(typeof body.bronorganisatie === 'string' && RSIN.test(body.bronorganisatie) ? [] : ['bronorganisatie']),
        ...(typeof body.verantwoordelijkeOrganisatie === 'string' && RSIN.test(body.verantwoordelijkeOrganisatie) ? [] : ['verantwoordelijkeOrganisatie']),
        ...(body.zaaktype === fake.zaaktype ? [] : ['zaaktype']),
        ...(typeof body.startdatum === 'string' && DATE.test(body.startdatum) ? [] : ['startdatum']),
        ...(body.registratiedatum === undefined || (typeof body.registratiedatum === 'string' && DATE.test(body.registratiedatum)) ? [] : ['registratiedatum']),
        ...(str(body.omschrijving, 80, false) ? [] : ['omschrijving']),
        ...(body.vertrouwelijkheidaanduiding === undefined || VERTROUWELIJKHEID.includes(body.vertrouwelijkheidaanduiding as string) ? [] : ['vertrouwelijkheidaanduiding']),
        ...((Array.isArray(body.kenmerken) ? (body.kenmerken as Json[]) : []).every((k) => str(k.kenmerk, 40) && str(k.bron, 40)) ? [] : ['kenmerken']),
      ];
      if (bad.length > 0) return invalid(fake, bad);
      const uuid = randomUUID();
      const zaak = { ...body, url: `${ZAKEN}/zaken/${uuid}`, uuid, identificatie: `ZAAK-${String(fake.zaken.size + 1)}` };
      fake.zaken.set(zaak.url, zaak);
      return HttpResponse.json(zaak, { status: 201, headers: { 'content-crs': 'EPSG:4326' } });
    }),

    http.post(`${DOCUMENTEN}/enkelvoudiginformatieobjecten`, async ({ request }) => {
      if (fake.down.documenten) return unavailable();
      const refusal = await authorised(fake, request);
      if (refusal) return refusal;
      const body = (await request.json()) as Json;
      const bad = [
        ...(typeof body.bronorganisatie === 'string' && RSIN.test(body.bronorganisatie) ? [] : ['bronorganisatie']),
        ...(typeof body.creatiedatum === 'string' && DATE.test(body.creatiedatum) ? [] : ['creatiedatum']),
        ...(str(body.titel, 200) ? [] : ['titel']),
        ...(str(body.auteur, 200) ? [] : ['auteur']),
        ...(typeof body.taal === 'string' && /^[a-z]{3}$/.test(body.taal) ? [] : ['taal']),
        ...(body.informatieobjecttype === fake.informatieobjecttype ? [] : ['informatieobjecttype']),
        ...(body.link === undefined || (typeof body.link === 'string' && body.link.length <= 200 && /^https?:\/\//.test(body.link)) ? [] : ['link']),
      ];
      if (bad.length > 0) return invalid(fake, bad);
      const uuid = randomUUID();
      const document = { ...body, url: `${DOCUMENTEN}/enkelvoudiginformatieobjecten/${uuid}`, uuid, versie: 1 };
      fake.documenten.set(document.url, document);
      return HttpResponse.json(document, { status: 201 });
    }),

    http.post(`${ZAKEN}/zaakinformatieobjecten`, async ({ request }) => {
      if (fake.down.zaken) return unavailable();
      const refusal = (await authorised(fake, request)) ?? crs(fake, request, true);
      if (refusal) return refusal;
      const body = (await request.json()) as Json;
      const bad = [...(fake.zaken.has(body.zaak as string) ? [] : ['zaak']), ...(fake.documenten.has(body.informatieobject as string) ? [] : ['informatieobject'])];
      if (bad.length > 0) return invalid(fake, bad);
      const relation = { ...body, url: `${ZAKEN}/zaakinformatieobjecten/${randomUUID()}`, aardRelatieWeergave: 'Hoort bij, omgekeerd: kent' };
      fake.zaakinformatieobjecten.push(relation);
      return HttpResponse.json(relation, { status: 201 });
    }),

    http.post(`${ZAKEN}/rollen`, async ({ request }) => {
      if (fake.down.zaken) return unavailable();
      const refusal = (await authorised(fake, request)) ?? crs(fake, request, true);
      if (refusal) return refusal;
      const body = (await request.json()) as Json;
      const id = (body.betrokkeneIdentificatie ?? {}) as Json;
      const bad = [
        ...(fake.zaken.has(body.zaak as string) ? [] : ['zaak']),
        ...(['natuurlijk_persoon', 'niet_natuurlijk_persoon', 'vestiging', 'organisatorische_eenheid', 'medewerker'].includes(body.betrokkeneType as string) ? [] : ['betrokkeneType']),
        ...(fake.roltypen.has(body.roltype as string) ? [] : ['roltype']),
        ...(str(body.roltoelichting, 1000) ? [] : ['roltoelichting']),
        ...(id.inpBsn === undefined || (typeof id.inpBsn === 'string' && /^\d{9}$/.test(id.inpBsn)) ? [] : ['betrokkeneIdentificatie.inpBsn']),
        ...(str(id.geslachtsnaam, 200, false) ? [] : ['betrokkeneIdentificatie.geslachtsnaam']),
        ...(str(id.voorvoegselGeslachtsnaam, 80, false) ? [] : ['betrokkeneIdentificatie.voorvoegselGeslachtsnaam']),
        ...(str(id.voornamen, 200, false) ? [] : ['betrokkeneIdentificatie.voornamen']),
      ];
      if (bad.length > 0) return invalid(fake, bad);
      const rol = { ...body, url: `${ZAKEN}/rollen/${randomUUID()}` };
      fake.rollen.push(rol);
      return HttpResponse.json(rol, { status: 201 });
    }),

    http.get(`${ZAKEN}/statussen/:uuid`, async ({ request }) => {
      if (fake.down.zaken) return unavailable();
      const refusal = (await authorised(fake, request)) ?? crs(fake, request, false);
      if (refusal) return refusal;
      const status = fake.statussen.get(request.url);
      return status ? HttpResponse.json(status) : HttpResponse.json({ code: 'not_found', status: 404 }, { status: 404 });
    }),
  ];
}

/** The body the Notificaties API posts to an abonnement for a new status (kanaal zaken). */
export function statusNotificatie(fake: ZgwFake, zaak: string, statusUrl: string): Json {
  return {
    kanaal: 'zaken',
    hoofdObject: zaak,
    resource: 'status',
    resourceUrl: statusUrl,
    actie: 'create',
    aanmaakdatum: new Date().toISOString(),
    kenmerken: { bronorganisatie: '002220647', zaaktype: fake.zaaktype, vertrouwelijkheidaanduiding: 'zeer_geheim' },
  };
}

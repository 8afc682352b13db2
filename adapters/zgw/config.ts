/**
 * What the ZGW adapter needs to know about one gemeente's ZGW installation (Open Zaak or another
 * implementation of the VNG "Zaakgericht Werken" APIs) and about its place in the Zicht network.
 */
import type { ZaakLink } from './links.js';
import type { Directbetrokkene } from '../../src/model/persoon.js';
import type { Ontvangstbevestiging } from '../../src/model/ontvangstbevestiging.js';
import type { Signer } from '../../src/signing/signer.js';
import type { KeyResolver } from '../../src/signing/key-resolver.js';
import type { RetryPolicy } from '../../src/delivery/backoff.js';

/** The adapter's configuration. */
export interface ZgwConfig {
  /** The gemeente (lokaal team) the adapter acts for: its OIN, its role and its signing key. */
  readonly gemeente: {
    readonly oin: string;
    readonly rol: 'lokaal-team' | 'gemeente';
    readonly signer: Signer;
    /** The gemeentecodes it serves (as in its registry entry): a bericht must name one of them to be its (AFL-003). */
    readonly gemeentecodes: readonly string[];
  };
  /** The Zicht gateway: its base URL (`…/v1/berichten` is appended), its OIN and the participants' keys (to check its pushes). */
  readonly gateway: { readonly url: string; readonly oin: string; readonly keys: KeyResolver };
  /** ZGW authorisation: the client_id and secret the ZGW Autorisaties API knows this application by (JWT HS256). */
  readonly client: { readonly clientId: string; readonly secret: string };
  /** Base URLs of the APIs, e.g. `https://openzaak.example/zaken/api/v1`. */
  readonly api: { readonly zaken: string; readonly documenten: string };
  /** The RSIN of the gemeente: bronorganisatie and verantwoordelijkeOrganisatie of the zaak and the document. */
  readonly rsin: string;
  /** Catalogi API resources the gemeente configured for Zicht handovers. */
  readonly catalogus: {
    readonly zaaktype: string;
    readonly informatieobjecttype: string;
    /** The roltype of each role a directbetrokkene can have (one Rol per person and role). */
    readonly roltypen: Readonly<Record<Directbetrokkene['rollen'][number], string>>;
    /** The statustype that means "the gemeente accepts the case" (Z-L 5.2.1). */
    readonly statustypeGeaccepteerd: string;
  };
  /** The value the Notificaties API sends as `Authorization` (the abonnement's `auth`). */
  readonly notificatieAuth: string;
  /** Who picks accepted cases up, as the ontvangstbevestiging names it: naam or team, and telefoon or email (ONT-009). */
  readonly behandelaar: NonNullable<Ontvangstbevestiging['behandelaar']>;
  /**
   * For a handover to two or more gemeenten (Z-L 5.2.4): the OIN of the team the gemeenten agreed leads
   * (afstemming.regie, VRW-001). Without an answer the adapter sends no acceptance for such a handover.
   */
  readonly regie?: (link: ZaakLink) => string | undefined;
  /** Retries of a ZGW API or the gateway that is down; the gateway's delivery policy by default. */
  readonly policy?: RetryPolicy;
}

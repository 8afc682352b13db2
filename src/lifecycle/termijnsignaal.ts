/**
 * The termijnsignaal (term signal) the gateway sends when a timer fires: to the participant that must
 * act and, in cc, to the sender of the bericht that started the term (like the iWmo retourbericht that
 * follows a missing answer). Metadata only: which term, since when, whose, the profile rule. Pure.
 */
import type { Bericht, TermijnsignaalBericht } from '../model/bericht.js';
import type { Termijn } from '../store/termijn.js';

type Ontvanger = Bericht['ontvangers'][number];

/** What a signal needs besides the timer and the bericht that started the term. */
export interface SignaalInput {
  readonly termijn: Termijn;
  /** The bericht that started the term (the handover or the escalatie). */
  readonly start: Bericht;
  readonly berichtId: string;
  /** The gateway's OIN: the signal's sender. */
  readonly gatewayOin: string;
  /** The gateway's next sequence number in the dossier (BER-011). */
  readonly volgnummer: number;
  /** When the signal is sent; no earlier than the term's end. */
  readonly verzondenOp: Date;
}

/** The receivers of a signal: who must act, then the starting bericht's sender in cc (once, when it is not the same). */
export function signaalOntvangers(start: Bericht, moetHandelen: string): Ontvanger[] {
  const partij = start.ontvangers.find((o) => o.oin === moetHandelen);
  const handelen: Ontvanger =
    partij === undefined ? { oin: moetHandelen, rol: start.verzender.rol } : { oin: partij.oin, rol: partij.rol, ...(partij.gemeentecode === undefined ? {} : { gemeentecode: partij.gemeentecode }) };
  return start.verzender.oin === moetHandelen ? [handelen] : [handelen, { oin: start.verzender.oin, rol: start.verzender.rol, kopie: true }];
}

/** The unsigned termijnsignaal of a fired timer. */
export function termijnsignaal(input: SignaalInput): TermijnsignaalBericht {
  const { termijn, start } = input;
  const sent = Math.max(input.verzondenOp.getTime(), termijn.dueAt.getTime());
  return {
    specVersie: '1.0',
    berichtId: input.berichtId,
    berichtType: 'termijnsignaal',
    verzender: { oin: input.gatewayOin, rol: 'gateway' },
    ontvangers: signaalOntvangers(start, termijn.moetHandelen),
    verzondenOp: new Date(sent).toISOString(),
    dossier: { referentie: start.dossier.referentie, volgnummer: input.volgnummer },
    inAntwoordOp: start.berichtId,
    inhoud: {
      termijn: termijn.soort,
      verlopenOp: termijn.dueAt.toISOString(),
      moetHandelen: termijn.moetHandelen,
      profiel: termijn.profiel,
      regel: termijn.regel,
      ...(termijn.soort === 'monitoring' && termijn.maand > 0 ? { maand: termijn.maand } : {}),
    },
  };
}

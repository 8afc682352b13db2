/**
 * Masking for reports: the people in these berichten are victims, children and alleged
 * perpetrators. Inside `inhoud` every value is masked except members on a short list of codes and
 * structure (moment, status, roles, ids, dates of the process); the envelope stays readable, and a
 * signature is shortened. Masking is by allow-list, so a new member is masked until it is listed.
 */
const READABLE = new Set(['moment', 'soort', 'status', 'rollen', 'dienst', 'id', 'anoniem', 'urgent', 'versie', 'doorVt', 'contactNodig', 'triagetafel', 'vtRegio', 'gemeentecode', 'relatie', 'huiselijkGeweld', 'kindermishandeling', 'ontvangenOp', 'afgerondOp', 'dienstAfgerondOp', 'vastgesteldOp', 'termijn', 'wie', 'persoon', 'personen', 'maanden']);
export const MASK = '•••';

function maskContent(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((v) => maskContent(v, key));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskContent(v, k)]));
  return READABLE.has(key) ? value : MASK;
}

/** A copy of a bericht (or anything) fit for a report. */
export function maskBericht(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value === undefined ? undefined : MASK;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => {
      if (k === 'inhoud') return [k, maskContent(v, k)];
      if (k === 'signatures' && Array.isArray(v)) return [k, v.map(() => '(detached JWS)')];
      // A dossier reference is pseudonymous, unless it breaks BER-009 and holds a BSN: long digit runs are masked.
      if (k === 'dossier' && typeof v === 'object' && v !== null) return [k, Object.fromEntries(Object.entries(v).map(([dk, dv]) => [dk, typeof dv === 'string' ? dv.replace(/\d{8,}/g, MASK) : dv]))];
      if (typeof v === 'object' && v !== null) return [k, k === 'verzender' || k === 'ontvangers' ? v : maskContent(v, k)];
      return [k, v];
    }),
  );
}

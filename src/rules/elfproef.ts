/**
 * The 11-proof (elfproef) of a burgerservicenummer: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of
 * 11, and the number is not 000000000 (RvIG, Logisch Ontwerp BSN).
 */

/** True when `digits` is nine digits passing the BSN 11-proof. */
export function isValidBsn(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || digits === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (digits.charCodeAt(i) - 48);
  sum -= digits.charCodeAt(8) - 48;
  return sum % 11 === 0;
}

/**
 * True when `text` holds digits that, with the separators between them (`.`, `-`, `_`, each alone) left out,
 * are nine digits passing the 11-proof: a BSN written in groups, as `111.222.333` (BER-020).
 */
export function containsSeparatedBsn(text: string): boolean {
  for (const match of text.matchAll(/\d(?:[._-]?\d)*/g)) {
    const digits = match[0].replace(/[._-]/g, '');
    if (digits.length === 9 && digits !== match[0] && isValidBsn(digits)) return true;
  }
  return false;
}

/** True when `text` contains a run of nine digits (not part of a longer run) that passes the 11-proof. */
export function containsBsn(text: string): boolean {
  for (const match of text.matchAll(/\d+/g)) {
    const run = match[0];
    if (run.length === 9 && isValidBsn(run)) return true;
  }
  return false;
}

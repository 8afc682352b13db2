/**
 * Werkdagen (working days) and the end of a term, in Europe/Amsterdam: Monday to Friday except the
 * Dutch public holidays as the maintained date-holidays library gives them (New Year's Day, Easter
 * Monday, King's Day, Ascension Day, Whit Monday, Christmas and Boxing Day) and the optional days a
 * profile names (Good Friday, Liberation Day; domain brief "Working days"). No Easter arithmetic here.
 */
import Holidays from 'date-holidays';
import type { Profiel, Termijn } from './profiel.js';

/** The optional free days of a profile. */
export type OptioneleFeestdagen = Pick<Profiel['feestdagen'], 'goedeVrijdag' | 'bevrijdingsdag'>;

/** The time zone every term is computed in. */
export const TIJDZONE = 'Europe/Amsterdam';

const holidays = new Holidays('NL', { languages: ['nl'], timezone: TIJDZONE });
const byYear = new Map<number, { publiek: Set<string>; goedeVrijdag: string; bevrijdingsdag: string }>();

function holidaysOf(year: number) {
  let found = byYear.get(year);
  if (!found) {
    const list = holidays.getHolidays(year, 'nl');
    const dateOf = (name: string): string => list.find((h) => h.name === name)?.date.slice(0, 10) ?? '';
    found = { publiek: new Set(list.filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10))), goedeVrijdag: dateOf('Goede Vrijdag'), bevrijdingsdag: dateOf('Bevrijdingsdag') };
    byYear.set(year, found);
  }
  return found;
}

const partsFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIJDZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function localParts(instant: Date): { date: string; time: string } {
  const p = Object.fromEntries(partsFormat.formatToParts(instant).map((x) => [x.type, x.value]));
  return { date: `${p.year ?? ''}-${p.month ?? ''}-${p.day ?? ''}`, time: `${p.hour ?? ''}:${p.minute ?? ''}` };
}

const HOUR_MS = 3_600_000;
/** Bound of the memo tables below; past it they start again (a gateway sees a few days' worth at a time). */
const MEMO_LIMIT = 20_000;
/** Europe/Amsterdam's offset from UTC in ms, per UTC hour: its clock changes only on whole UTC hours (01:00 UTC). */
const offsetByHour = new Map<number, number>();
const midnightByDate = new Map<string, Date>();

function remember<K, V>(table: Map<K, V>, key: K, value: V): V {
  if (table.size >= MEMO_LIMIT) table.clear();
  table.set(key, value);
  return value;
}

/** The offset of Europe/Amsterdam from UTC during the UTC hour of `t`, read from Intl once per hour. */
function offsetAt(t: number): number {
  const hour = Math.floor(t / HOUR_MS);
  const known = offsetByHour.get(hour);
  if (known !== undefined) return known;
  const { date, time } = localParts(new Date(hour * HOUR_MS));
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const [hh = 0, mm = 0] = time.split(':').map(Number);
  return remember(offsetByHour, hour, Date.UTC(y, m - 1, d, hh, mm) - hour * HOUR_MS);
}

/** The calendar date (YYYY-MM-DD) of an instant in Europe/Amsterdam. */
export function amsterdamDatum(instant: Date): string {
  const t = instant.getTime();
  return new Date(t + offsetAt(t)).toISOString().slice(0, 10);
}

/** The instant a calendar date begins (00:00 Europe/Amsterdam, +01:00 in winter, +02:00 in summer). */
export function beginVanDag(datum: string): Date {
  const known = midnightByDate.get(datum);
  if (known !== undefined) return new Date(known);
  const [y = 0, m = 1, d = 1] = datum.split('-').map(Number);
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(Date.UTC(y, m - 1, d, -offsetHours));
    const local = localParts(candidate);
    if (local.date === datum && local.time === '00:00') return new Date(remember(midnightByDate, datum, candidate));
  }
  throw new RangeError(`no midnight for ${datum} in ${TIJDZONE}`);
}

/** The date `days` calendar days after a date. */
function plusDagen(datum: string, days: number): string {
  const [y = 0, m = 1, d = 1] = datum.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The date `months` months after a date, clamped to the last day of a shorter month. */
function plusMaanden(datum: string, months: number): string {
  const [y = 0, m = 1, d = 1] = datum.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** Whether a calendar date is a werkdag under these optional free days. */
export function isWerkdag(datum: string, opties: OptioneleFeestdagen): boolean {
  const [y = 0, m = 1, d = 1] = datum.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const h = holidaysOf(y);
  if (h.publiek.has(datum)) return false;
  if (opties.goedeVrijdag && h.goedeVrijdag === datum) return false;
  if (opties.bevrijdingsdag && h.bevrijdingsdag === datum) return false;
  return true;
}

/** The `n`-th werkdag after a date (the date itself does not count). */
export function werkdagNa(datum: string, n: number, opties: OptioneleFeestdagen): string {
  let current = datum;
  for (let counted = 0; counted < n; ) {
    current = plusDagen(current, 1);
    if (isWerkdag(current, opties)) counted += 1;
  }
  return current;
}

/**
 * When a term that starts at `start` ends: the end (24:00 Europe/Amsterdam) of the `n`-th werkdag after
 * the day of `start`, or of the day `n` weeks or months after it.
 */
export function termijnEinde(start: Date, termijn: Termijn, opties: OptioneleFeestdagen): Date {
  const dag = amsterdamDatum(start);
  switch (termijn.eenheid) {
    case 'werkdagen':
      return beginVanDag(plusDagen(werkdagNa(dag, termijn.aantal, opties), 1));
    case 'weken':
      return beginVanDag(plusDagen(dag, 7 * termijn.aantal + 1));
    case 'maanden':
      return beginVanDag(plusDagen(plusMaanden(dag, termijn.aantal), 1));
  }
}

/**
 * The small value types every Zicht resource is built from. Each carries its description into the
 * generated JSON Schema and OpenAPI, so the published standard says what the code checks.
 */
import { z } from 'zod';

/** Organisatie-identificatienummer (OIN): the 20-digit number that identifies a Dutch government party. */
export const Oin = z
  .string()
  .regex(/^\d{20}$/)
  .meta({ id: 'Oin', description: 'Organisatie-identificatienummer (OIN), 20 digits, as issued by Logius.', examples: ['00000001823288444000'] });

/**
 * Burgerservicenummer (BSN): 9 digits. The 11-proof is a rule (OVD-013), not part of the shape, so
 * that a wrong BSN is reported with its rule id.
 */
export const Bsn = z
  .string()
  .regex(/^\d{9}$/)
  .meta({ id: 'Bsn', description: 'Burgerservicenummer (citizen service number), 9 digits; must pass the 11-proof (OVD-013).' });

/** CBS gemeentecode (municipality code), e.g. `GM0935` for Maastricht. */
export const Gemeentecode = z
  .string()
  .regex(/^GM\d{4}$/)
  .meta({ id: 'Gemeentecode', description: 'CBS gemeentecode (municipality code): GM followed by 4 digits.', examples: ['GM0935'] });

/** A UUID (RFC 9562) in its lower- or upper-case hex form. */
export const Uuid = z.uuid().meta({ description: 'UUID (RFC 9562).' });

/** An instant with an explicit UTC offset (RFC 3339 `date-time`), e.g. `2026-03-02T10:15:00+01:00`. */
export const Tijdstip = z.iso
  .datetime({ offset: true })
  .meta({ description: 'Date and time with an explicit offset (RFC 3339 date-time).', examples: ['2026-03-02T10:15:00+01:00'] });

/** A calendar date (RFC 3339 `full-date`). */
export const Datum = z.iso.date().meta({ description: 'Calendar date (RFC 3339 full-date).', examples: ['2026-03-09'] });

/** Slug of the Veilig Thuis region (one of the 26 VT organisations), e.g. `zuid-limburg`. */
export const VtRegio = z
  .string()
  .regex(/^[a-z]+(?:-[a-z]+)*$/)
  .max(40)
  .meta({ id: 'VtRegio', description: 'Veilig Thuis region (one of the 26 VT organisations) as a lower-case slug.', examples: ['zuid-limburg'] });

/** Short free text: a name, a team, a title. */
export const KorteTekst = z.string().min(1).max(200);

/** Long free text: the content of a melding, a reasoning, an agreement. */
export const Tekst = z.string().min(1).max(20_000);

/** Dutch postcode, four digits and two capitals without a space. */
export const Postcode = z.string().regex(/^[1-9]\d{3}[A-Z]{2}$/);

/** A telephone number in international or national notation. */
export const Telefoonnummer = z.string().regex(/^\+?[0-9 ()-]{6,20}$/);

/** An e-mail address. */
export const Email = z.email().max(254);

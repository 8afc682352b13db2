/**
 * The published region profiles (spec/v1/profiles/) are valid against the zod model and against the
 * generated JSON Schema (as a vendor would check them), and every rule names and quotes its source.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ProfielError } from '../../src/errors.js';
import { loadProfielen, parseProfiel, profielById, profielenDir } from '../../src/profiles/load.js';
import type { Bron } from '../../src/profiles/profiel.js';
import { Deelnemer } from '../../src/registry/deelnemer.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const root = join(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'spec/v1/schemas/Profiel.schema.json'), 'utf8')) as object;
const validate = addFormats(new Ajv2020({ strict: false, allErrors: true })).compile(schema);
const files = readdirSync(join(root, 'spec/v1/profiles')).filter((n) => n.endsWith('.json'));

/** Every `bron` in a value, with the path to it. */
function bronnen(value: unknown, path = ''): [string, Bron][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]): [string, Bron][] => (k === 'bron' ? [[path, v as Bron]] : bronnen(v, path ? `${path}.${k}` : k)));
}

describe('spec/v1/profiles', () => {
  it('publishes the three profiles of issue 6', () => {
    expect([...loadProfielen().keys()]).toEqual(['landelijk-minimum', 'west-brabant', 'zuid-limburg']);
    expect(profielenDir()).toBe(join(root, 'spec', 'v1', 'profiles'));
  });

  it.each(files)('%s is valid against the generated JSON Schema', (name) => {
    expect(validate(JSON.parse(readFileSync(join(root, 'spec/v1/profiles', name), 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(files)('%s: every rule has a source with a section and a quote', (name) => {
    const profiel = profielById(loadProfielen(), name.replace(/\.json$/, ''));
    const found = bronnen(profiel);
    expect(found.map(([path]) => path).sort()).toEqual(
      ['eersteContact.naDienst', 'eersteContact.naVeiligheidsbeoordeling', 'escalatie', 'feestdagen', 'monitoring', 'ontvangstbevestiging', 'overgang.meerdereGemeenten', 'overgang.naDienst', 'overgang.naVeiligheidsbeoordeling', 'overgang.triagetafel', 'vtVerantwoordelijk'].sort(),
    );
    for (const [, bron] of found) expect(bron.citaat.length).toBeGreaterThan(20);
  });

  it.each(files)('%s: a quote is only the source\'s words; where the source is silent, `standaard` says so and names the default', (name) => {
    const profiel = profielById(loadProfielen(), name.replace(/\.json$/, ''));
    for (const [path, bron] of bronnen(profiel)) {
      // Zicht's own remarks used to sit in parentheses inside the quote; they belong in `standaard`.
      expect(bron.citaat, path).not.toMatch(/\((?:De bron|Zicht|Geen termijn|Antwoordtermijn|Termijn van)/);
      if (bron.document === 'Zicht') expect(bron.standaard, path).toMatch(/Zicht/);
      if (bron.standaard !== undefined) expect(bron.standaard, path).toMatch(/Zicht/);
    }
  });

  it.each(files)('%s: a quote of Zicht\'s own text is in the section of profiles/README.md it names, word for word', (name) => {
    const readme = readFileSync(join(root, 'spec/v1/profiles/README.md'), 'utf8');
    const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
    const section = (heading: string) => {
      const start = readme.indexOf(`\n## ${heading}\n`);
      if (start === -1) return undefined;
      const end = readme.indexOf('\n## ', start + 1);
      return flat(readme.slice(start, end === -1 ? undefined : end));
    };
    const own = bronnen(profielById(loadProfielen(), name.replace(/\.json$/, ''))).filter(([, bron]) => bron.document === 'Zicht');
    expect(own.length, 'every profile has at least feestdagen from Zicht').toBeGreaterThan(0);
    for (const [path, bron] of own) {
      const heading = /^profiles "(.+)"$/.exec(bron.sectie)?.[1];
      expect(heading, `${path}: sectie ${bron.sectie}`).toBeDefined();
      const text = section(heading ?? '');
      expect(text, `${path}: profiles/README.md has no section "${heading ?? ''}"`).toBeDefined();
      expect(text, `${path}: the quote is not in "${heading ?? ''}"`).toContain(flat(bron.citaat));
    }
  });

  it('encodes the transfer moments of the sources', () => {
    const profielen = loadProfielen();
    // Z-L 5.1.1 "belegd" and 5.2.1 "accepteren": only an acceptance transfers, at both moments.
    expect(profielById(profielen, 'zuid-limburg').overgang).toMatchObject({
      naVeiligheidsbeoordeling: { bij: 'acceptatie', bron: { sectie: '5.1.1' } },
      naDienst: { bij: 'acceptatie', bron: { sectie: '5.2.1' } },
      triagetafel: { belegd: true, bron: { document: 'Z-L', sectie: '4.1, 2i' } },
      meerdereGemeenten: { bij: 'afstemming', bron: { document: 'Z-L', sectie: '5.2.4, 6.2' } },
    });
    expect(profielById(profielen, 'landelijk-minimum').overgang).toMatchObject({ naVeiligheidsbeoordeling: { bij: 'ontvangst', bron: { document: 'FS' } }, naDienst: { bij: 'ontvangst', bron: { document: 'FS' } } });
    expect(profielById(profielen, 'west-brabant').overgang.triagetafel.belegd).toBe(false);
    expect(profielById(profielen, 'west-brabant').overgang.naDienst).toMatchObject({ bij: 'termijn', termijn: { aantal: 2, eenheid: 'werkdagen' }, bron: { document: 'W-B', sectie: 'a. Wachtlijsten' } });
    expect(profielById(profielen).id).toBe('landelijk-minimum');
  });

  it('refuses a profile whose file name differs from its id, or that breaks the schema, with a stable code', () => {
    const text = readFileSync(join(root, 'spec/v1/profiles/zuid-limburg.json'), 'utf8');
    expect(() => parseProfiel(text, 'noord-holland')).toThrow(expect.objectContaining({ code: 'ZICHT_PROFIEL_INVALID' }) as Error);
    const broken = JSON.stringify({ ...(JSON.parse(text) as object), overgang: { naDienst: { bij: 'ooit' } } });
    expect(() => parseProfiel(broken, 'zuid-limburg')).toThrow(ProfielError);
    expect(() => profielById(loadProfielen(), 'nergens')).toThrow(expect.objectContaining({ code: 'ZICHT_PROFIEL_UNKNOWN' }) as Error);
  });

  it('a participant record may name its profile; without one the landelijk-minimum applies', () => {
    const base = { oin: '00000001000000009350', rol: 'lokaal-team', naam: 'Sociaal team', status: 'actief' } as const;
    expect(Deelnemer.parse({ ...base, profiel: 'zuid-limburg' }).profiel).toBe('zuid-limburg');
    expect(Deelnemer.parse(base).profiel).toBeUndefined();
    expect(Deelnemer.safeParse({ ...base, profiel: 'Zuid Limburg' }).success).toBe(false);
  });
});

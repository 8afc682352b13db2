/**
 * What encryption at rest does for the copies a purge cannot reach (threat model, store: PostgreSQL's freed
 * pages and WAL, and backups, keep old row versions). Such a copy holds only ciphertext and a data key
 * wrapped under the KEK of its time; once that KEK is rotated out and destroyed, the copy opens nowhere,
 * on SQLite and PostgreSQL. The test takes the "backup" as the row's columns before the rotation and puts
 * it back afterwards, as a restore would.
 */
import { describe, expect, it } from 'vitest';
import { Keyring } from '../../src/store/keyring.js';
import { rewrapAll } from '../../src/store/rewrap.js';
import { example, personalValuesIn } from '../helpers/examples.js';
import { BACKENDS, useStore } from './backends.js';
import { bericht } from './fixtures.js';

const Row = (value: unknown) => value as { body: string; body_kek: string; body_dek: string }[];

describe.each(BACKENDS)('crypto-shredding on $name', ({ harness }) => {
  const ctx = useStore(harness);

  it('a copy of a payload taken before a KEK rotation cannot be opened once the old KEK is destroyed', async () => {
    const keyring = Keyring.generate('kek-2026');
    const store = await ctx.harness.open({ keyring });
    const b = await store.insertBericht(bericht({ body: JSON.stringify(example('overdracht-na-dienst-onderzoek')) }));
    const [backup] = Row(await ctx.harness.sql(`SELECT body, body_kek, body_dek FROM berichten WHERE bericht_id = '${b.berichtId}'`));
    if (backup === undefined) throw new Error('no row');
    expect(backup.body_kek).toBe('kek-2026');
    expect(personalValuesIn(JSON.stringify(backup))).toEqual([]);

    // Rotate: a new current KEK, every payload re-wrapped, the old KEK removed from the keyring and destroyed.
    keyring.reload(Keyring.parse(keyring.exportText()).withNewKey('kek-2027', true));
    await rewrapAll(store);
    const retired = JSON.parse(keyring.exportText()) as { current: string; keys: Record<string, string> };
    const { ['kek-2026']: destroyed, ...kept } = retired.keys;
    expect(destroyed).toBeDefined();
    const after = await ctx.harness.open({ keyring: Keyring.parse(JSON.stringify({ current: retired.current, keys: kept })) });
    expect((await after.getBericht(b.berichtId))?.body).toBe(b.body);

    // The copy from before, restored, does not open: the only key that unwraps its data key is gone.
    await ctx.harness.sql(`UPDATE berichten SET body = '${backup.body}', body_kek = '${backup.body_kek}', body_dek = '${backup.body_dek}' WHERE bericht_id = '${b.berichtId}'`);
    await expect(after.getBericht(b.berichtId)).rejects.toMatchObject({ code: 'ZICHT_STORE_KEY_MISSING' });
  });
});

/**
 * The participant registry in the gateway's database, so that every gateway on one database sees the
 * same participants and keys: a key revoked through one is refused by all. Each participant is kept
 * as its validated JSON record; changes reuse the in-memory repository's checks on that one record.
 * Reads are cached for `ttlMs` (default 2 s): a change is seen by every gateway within that time.
 */
import { RegistryError, StoreConflictError } from '../errors.js';
import type { Store } from '../store/store.js';
import { Deelnemer, type Sleutel } from './deelnemer.js';
import { InMemoryDeelnemerRepository } from './in-memory.js';
import { keepDroppedKeys } from './key-retention.js';
import type { DeelnemerRepository } from './repository.js';

/** A {@link DeelnemerRepository} over the store's participant table. */
export class StoreDeelnemerRepository implements DeelnemerRepository {
  readonly #store: Store;
  readonly #ttlMs: number;
  readonly #now: () => Date;
  #cache: { until: number; all: readonly Deelnemer[]; byOin: ReadonlyMap<string, Deelnemer> } | undefined;

  constructor(store: Store, options: { ttlMs?: number; now?: () => Date } = {}) {
    this.#store = store;
    this.#ttlMs = options.ttlMs ?? 2_000;
    this.#now = options.now ?? (() => new Date());
  }

  async #snapshot() {
    if (this.#cache && this.#cache.until > Date.now()) return this.#cache;
    const all = (await this.#store.listDeelnemerRecords()).map((record) => Deelnemer.parse(JSON.parse(record)));
    this.#cache = { until: Date.now() + this.#ttlMs, all, byOin: new Map(all.map((d) => [d.oin, d])) };
    return this.#cache;
  }

  async get(oin: string): Promise<Deelnemer | undefined> {
    return (await this.#snapshot()).byOin.get(oin);
  }

  async list(): Promise<readonly Deelnemer[]> {
    return (await this.#snapshot()).all;
  }

  async add(deelnemer: unknown): Promise<Deelnemer> {
    const checked = await (await InMemoryDeelnemerRepository.of([deelnemer])).list();
    const parsed = checked[0];
    if (parsed === undefined) throw new RegistryError('ZICHT_REGISTRY_INVALID', 'a participant does not match the schema');
    try {
      await this.#store.putDeelnemerRecord(parsed.oin, JSON.stringify(parsed), false);
    } catch (error) {
      if (error instanceof StoreConflictError) throw new RegistryError('ZICHT_REGISTRY_CONFLICT', 'a participant with this OIN is already registered');
      throw error;
    }
    this.#cache = undefined;
    return parsed;
  }

  /**
   * Adds or replaces a participant (importing a registry file into the database). The keys the stored record
   * holds and the new one leaves out stay, marked revoked now (SIG-003, Q135; {@link keepDroppedKeys}).
   */
  async put(deelnemer: unknown): Promise<Deelnemer> {
    const [parsed] = await (await InMemoryDeelnemerRepository.of([deelnemer])).list();
    if (parsed === undefined) throw new RegistryError('ZICHT_REGISTRY_INVALID', 'a participant does not match the schema');
    const stored = await this.#store.transaction(async (tx) => {
      const before = await tx.getDeelnemerRecord(parsed.oin);
      const kept = before === undefined ? parsed : keepDroppedKeys(Deelnemer.parse(JSON.parse(before)), parsed, this.#now());
      await tx.putDeelnemerRecord(parsed.oin, JSON.stringify(kept), true);
      return kept;
    });
    this.#cache = undefined;
    return stored;
  }

  setStatus(oin: string, status: Deelnemer['status']): Promise<void> {
    return this.#change(oin, (one) => one.setStatus(oin, status));
  }

  async addKey(oin: string, sleutel: unknown): Promise<Sleutel> {
    let added: Sleutel | undefined;
    await this.#change(oin, async (one) => {
      added = await one.addKey(oin, sleutel);
    });
    if (added === undefined) throw new RegistryError('ZICHT_REGISTRY_INVALID', 'the key was not added');
    return added;
  }

  revokeKey(oin: string, kid: string, at: Date): Promise<void> {
    return this.#change(oin, (one) => one.revokeKey(oin, kid, at));
  }

  /** Applies a change to one participant with the in-memory repository's checks, and writes it back. */
  async #change(oin: string, apply: (one: InMemoryDeelnemerRepository) => Promise<void>): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const record = await tx.getDeelnemerRecord(oin);
      if (record === undefined) throw new RegistryError('ZICHT_REGISTRY_CONFLICT', 'no participant with this OIN is registered');
      const one = await InMemoryDeelnemerRepository.of([JSON.parse(record)]);
      await apply(one);
      await tx.putDeelnemerRecord(oin, JSON.stringify(await one.get(oin)), true);
    });
    this.#cache = undefined;
  }
}

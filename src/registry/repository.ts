/**
 * The participant registry behind one interface: in memory for tests and demo networks
 * (src/registry/in-memory.ts), in the gateway's database later. Every method is async so that a
 * database implementation fits the same interface.
 */
import type { Deelnemer, Sleutel } from './deelnemer.js';

/** Reads and updates participants and their keys. */
export interface DeelnemerRepository {
  /** The participant with this OIN, or `undefined`. */
  get(oin: string): Promise<Deelnemer | undefined>;
  /** Every participant, in OIN order. */
  list(): Promise<readonly Deelnemer[]>;
  /**
   * Adds a participant.
   *
   * @throws {RegistryError} `ZICHT_REGISTRY_INVALID` when it does not match the schema or a `kid` is not its
   *   key's thumbprint, `ZICHT_REGISTRY_CONFLICT` when the OIN is taken.
   */
  add(deelnemer: unknown): Promise<Deelnemer>;
  /** Sets a participant's status (`actief` or `geschorst`). @throws {RegistryError} `ZICHT_REGISTRY_CONFLICT` for an unknown OIN. */
  setStatus(oin: string, status: Deelnemer['status']): Promise<void>;
  /**
   * Rotation, step one: adds a key to a participant. Its older keys keep verifying what they signed while valid.
   *
   * @throws {RegistryError} `ZICHT_REGISTRY_INVALID` for a bad key, `ZICHT_REGISTRY_CONFLICT` for an unknown OIN or a key already present.
   */
  addKey(oin: string, sleutel: unknown): Promise<Sleutel>;
  /**
   * Revokes a key from `at` on: signatures made (or received by the gateway) at or after `at` fail, earlier ones keep verifying.
   * Revoking an already revoked key keeps the earlier of the two times.
   *
   * @throws {RegistryError} `ZICHT_REGISTRY_CONFLICT` for an unknown OIN or kid.
   */
  revokeKey(oin: string, kid: string, at: Date): Promise<void>;
}

/**
 * The registry as the source of verification keys: `kid` of participant `oin`, with its validity
 * window and its owner's role. Suspension does not hide keys: an auditor must still verify what a
 * suspended participant signed; refusing new berichten from it is the accept path's decision.
 */
import type { KeyResolver, ResolvedKey } from '../signing/key-resolver.js';
import type { DeelnemerRepository } from './repository.js';

const seconds = (tijdstip: string | undefined): number | undefined => (tijdstip === undefined ? undefined : Math.floor(Date.parse(tijdstip) / 1000));

/** A {@link KeyResolver} over a participant registry. */
export function registryKeyResolver(repository: DeelnemerRepository): KeyResolver {
  return {
    async resolve(oin, kid): Promise<ResolvedKey | undefined> {
      const deelnemer = await repository.get(oin);
      const sleutel = deelnemer?.sleutels.find((s) => s.kid === kid);
      if (!deelnemer || !sleutel) return undefined;
      const nbf = seconds(sleutel.nbf);
      const exp = seconds(sleutel.exp);
      const revokedAt = seconds(sleutel.revokedAt);
      return {
        kid: sleutel.kid,
        jwk: sleutel.jwk,
        rol: deelnemer.rol,
        ...(nbf === undefined ? {} : { nbf }),
        ...(exp === undefined ? {} : { exp }),
        ...(revokedAt === undefined ? {} : { revokedAt }),
      };
    },
  };
}

/**
 * ZGW authorisation: every request to a ZGW API carries `Authorization: Bearer <JWT>`, a JWT signed
 * with HS256 under the secret shared with the Autorisaties API, with the claims the ZGW standard
 * prescribes (VNG "Zaakgericht Werken", authenticatie en autorisatie): `iss` and `client_id` the
 * application's client_id, `iat`, `user_id` and `user_representation` (here the adapter itself, never
 * a person of the case).
 */
import { SignJWT } from 'jose';

/** A fresh ZGW JWT for one request. */
export async function zgwToken(client: { clientId: string; secret: string }, now: Date = new Date()): Promise<string> {
  return new SignJWT({ client_id: client.clientId, user_id: client.clientId, user_representation: 'Zicht ZGW-adapter' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(client.clientId)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .sign(new TextEncoder().encode(client.secret));
}

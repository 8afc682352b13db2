/**
 * Size limits on signatures, checked before anything is decoded so that hostile input costs little.
 * They match the model's `Handtekening` (src/model/bericht.ts): at most 4 signatures, a protected
 * header of at most 4096 and a signature of at most 1024 base64url characters.
 */

/** Most signatures a bericht may carry: the sender's and the gateway's, with room for one re-route. */
export const MAX_SIGNATURES = 4;

/** Longest accepted base64url protected header. */
export const MAX_PROTECTED_HEADER_LENGTH = 4096;

/** Longest accepted base64url signature (a PS256 signature with a 4096-bit key is 683). */
export const MAX_SIGNATURE_LENGTH = 1024;

/**
 * Zicht: the library behind the standard and the gateway. The package entry exports the model
 * (zod schemas and their types), the rule catalogue and validation, signing and verification
 * (RFC 8785 + detached JWS), and the participant registry.
 */
export * from './model/index.js';
export { catalogue, ruleById } from './rules/catalogue.js';
export { noTrail, trailOf, type ValidationContext } from './rules/context.js';
export { formatPath, toOperationOutcome, RULE_SYSTEM } from './rules/issue.js';
export type { Rule, Source, Stage } from './rules/rule.js';
export { validateBericht, validateValue, type ValidateOptions, type ValidationResult } from './rules/validate.js';
export {
  CanonicalError,
  ERROR_CODES,
  IoError,
  KeyError,
  RegistryError,
  SignatureError,
  UsageError,
  ZichtError,
  type CanonicalErrorCode,
  type ErrorCode,
  type KeyErrorCode,
  type RegistryErrorCode,
  type SignatureErrorCode,
} from './errors.js';
export { DEFAULT_SIGNING_ALGORITHM, SIGNING_ALGORITHMS, type SigningAlgorithm } from './signing/algorithms.js';
export { canonicalBericht, canonicalBytes, canonicalJson } from './signing/canonical.js';
export { countersignBericht } from './signing/countersign.js';
export { signDetached, verifyDetached, type DetachedJws } from './signing/detached.js';
export { generateSigningKey, type GeneratedKey } from './signing/generate.js';
export { SIGNATURE_TYP, type CountersignatureHeader, type SenderHeader, type SignatureKind } from './signing/header.js';
export { PrivateJwk, PublicJwk, PublicJwks } from './signing/jwk.js';
export { combineKeyResolvers, jwksKeyResolver, type KeyResolver, type ResolvedKey } from './signing/key-resolver.js';
export { MAX_PROTECTED_HEADER_LENGTH, MAX_SIGNATURE_LENGTH, MAX_SIGNATURES } from './signing/limits.js';
export { signBericht, type Signed, type SignOptions } from './signing/sign.js';
export { createSigner, type Signer, type SignerOptions } from './signing/signer.js';
export { jwkThumbprint } from './signing/thumbprint.js';
export { verifyBericht, type VerifiedBericht, type VerifyOptions } from './signing/verify.js';
export { verifyCountersignature, type VerifyCountersignatureOptions } from './signing/verify-countersignature.js';
export type { VerifiedSignature } from './signing/verify-signature.js';
export { Afleveradres, Deelnemer, DeelnemerRol, DeelnemerStatus, Sleutel, type DeelnemerInput } from './registry/deelnemer.js';
export { loadRegistryFile, parseRegistry, RegistryFile, registryToFile } from './registry/file.js';
export { InMemoryDeelnemerRepository } from './registry/in-memory.js';
export { registryKeyResolver } from './registry/key-resolver.js';
export type { DeelnemerRepository } from './registry/repository.js';

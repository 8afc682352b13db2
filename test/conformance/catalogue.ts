/**
 * The defect catalogue: realistic one-defect variants of the reference gemeente system and the
 * reference VT system, each a bug a vendor plausibly ships (not a broken server). The catch-rate
 * test (defects.test.ts) runs the whole suite of the role against each variant: a variant is caught
 * when a case fails. `level` is the level of what the defect breaks: every `must` variant must be
 * caught. `caughtBy` names the cases expected to catch it (the test checks they are among the failures).
 */
import type { EncryptionKeyKind } from '../../src/delivery/decrypt.js';
import type { ReferenceDefect } from '../../src/demo/reference-receiver.js';
import type { ReferenceVtDefect } from '../../src/demo/reference-vt.js';

/** One variant of a reference system. */
export interface Variant<D> {
  /** Stable id: `G..` gemeente, `V..` vt. */
  readonly id: string;
  readonly title: string;
  readonly level: 'must' | 'should';
  readonly defect: D;
  /** The cases that catch it. */
  readonly caughtBy: readonly string[];
  /** The encryption key the variant registers (gemeente), where the defect shows only with one kind; default ECDH-ES P-256. */
  readonly encryption?: EncryptionKeyKind;
  /** How the variant receives (gemeente), where the defect shows only reading its postbus; default push. */
  readonly mode?: 'push' | 'postbus';
}

const receiver = (defect: ReferenceDefect): ReferenceVtDefect => ({ kind: 'receiver', defect });

/** Variants of the reference gemeente system (a receiving lokaal team). */
export const GEMEENTE_VARIANTS: readonly Variant<ReferenceDefect>[] = [
  { id: 'G01', title: 'signs its receipt, then changes it', level: 'must', defect: { kind: 'receipt-signature-broken' }, caughtBy: ['CNF-101'] },
  { id: 'G02', title: 'never sends an ontvangstbevestiging', level: 'must', defect: { kind: 'no-receipt' }, caughtBy: ['CNF-101'] },
  { id: 'G03', title: 'refuses updates of the veiligheidsvoorwaarden', level: 'must', defect: { kind: 'refuses-updates' }, caughtBy: ['CNF-103'] },
  { id: 'G04', title: 'acts on a resent handover again (a second receipt)', level: 'must', defect: { kind: 'no-dedup' }, caughtBy: ['CNF-104'] },
  { id: 'G05', title: 'takes a bericht with a used berichtId and other content as a resend', level: 'must', defect: { kind: 'ignores-rule', rule: 'BER-015' }, caughtBy: ['CNF-105'] },
  { id: 'G06', title: 'takes and answers berichten addressed to another OIN', level: 'must', defect: { kind: 'answers-not-addressed' }, caughtBy: ['CNF-106'] },
  { id: 'G07', title: 'registered an encryption key but reads every body as JSON', level: 'must', defect: { kind: 'no-decryption' }, caughtBy: ['CNF-121'] },
  { id: 'G08', title: 'decrypts any content encryption jose supports (A128GCM too)', level: 'must', defect: { kind: 'ignores-rule', rule: 'ENC-004' }, caughtBy: ['CNF-122'] },
  { id: 'G09', title: 'does not require the gateway countersignature', level: 'must', defect: { kind: 'ignores-rule', rule: 'SIG-001' }, caughtBy: ['CNF-111'] },
  { id: 'G10', title: 'accepts any JWS algorithm (HS256 too)', level: 'must', defect: { kind: 'ignores-rule', rule: 'SIG-002' }, caughtBy: ['CNF-113'] },
  { id: 'G11', title: 'takes a signature whose key it cannot find', level: 'must', defect: { kind: 'ignores-rule', rule: 'SIG-003' }, caughtBy: ['CNF-114'] },
  { id: 'G12', title: 'does not check who signed (header oin, gateway role)', level: 'must', defect: { kind: 'ignores-rule', rule: 'SIG-004' }, caughtBy: ['CNF-115'] },
  { id: 'G13', title: 'does not check that the signature matches the content', level: 'must', defect: { kind: 'ignores-rule', rule: 'SIG-005' }, caughtBy: ['CNF-117'] },
  { id: 'G14', title: 'has no size limit', level: 'must', defect: { kind: 'ignores-rule', rule: 'BER-002' }, caughtBy: ['CNF-152'] },
  { id: 'G15', title: 'does not check the contact with gezaghebbende ouders (OVD-001)', level: 'must', defect: { kind: 'ignores-rule', rule: 'OVD-001' }, caughtBy: ['CNF-181'] },
  { id: 'G16', title: 'does not check that every gemeente of the household is addressed (OVD-007)', level: 'must', defect: { kind: 'ignores-rule', rule: 'OVD-007' }, caughtBy: ['CNF-187'] },
  { id: 'G17', title: 'takes an update whose version is not higher (VVW-004)', level: 'must', defect: { kind: 'ignores-rule', rule: 'VVW-004' }, caughtBy: ['CNF-234'] },
  { id: 'G18', title: 'does not look at the push token at all', level: 'must', defect: { kind: 'ignores-rule', rule: 'AFL-002' }, caughtBy: ['CNF-125'] },
  { id: 'G19', title: 'decodes the push token without checking its signature', level: 'must', defect: { kind: 'push-token-lax', skip: 'signature' }, caughtBy: ['CNF-126'] },
  { id: 'G20', title: 'does not check the push token\'s audience', level: 'must', defect: { kind: 'push-token-lax', skip: 'audience' }, caughtBy: ['CNF-127'] },
  { id: 'G21', title: 'does not check the push token\'s expiry', level: 'must', defect: { kind: 'push-token-lax', skip: 'expiry' }, caughtBy: ['CNF-128'] },
  { id: 'G22', title: 'takes a push token twice (no jti memory)', level: 'must', defect: { kind: 'push-token-lax', skip: 'replay' }, caughtBy: ['CNF-129'] },
  { id: 'G23', title: 'takes a push token of any participant, not only the gateway\'s', level: 'must', defect: { kind: 'push-token-lax', skip: 'issuer' }, caughtBy: ['CNF-130'] },
  { id: 'G24', title: 'ignores key validity windows (revoked, expired, not yet valid keys verify)', level: 'must', defect: { kind: 'key-window-ignored' }, caughtBy: ['CNF-118', 'CNF-119', 'CNF-120'] },
  { id: 'G25', title: 'checks the revocation list only, not nbf and exp', level: 'must', defect: { kind: 'key-expiry-ignored' }, caughtBy: ['CNF-119', 'CNF-120'] },
  { id: 'G26', title: 'judges revocation at the signer\'s iat, not at the countersignature time', level: 'must', defect: { kind: 'key-revocation-at-iat' }, caughtBy: ['CNF-123'] },
  { id: 'G27', title: 'caches keys by kid across participants', level: 'must', defect: { kind: 'key-cache-by-kid' }, caughtBy: ['CNF-124'] },
  { id: 'G28', title: 'skips the signature check when the key directory cannot be read (fails open)', level: 'must', defect: { kind: 'ignores-rule', rule: 'AFL-004' }, caughtBy: ['CNF-131'] },
  { id: 'G29', title: 'refuses for good (4xx) when the key directory cannot be read: the gateway dead-letters a valid handover', level: 'must', defect: { kind: 'key-directory-refuses' }, caughtBy: ['CNF-131'] },
  { id: 'G30', title: 'checks the receiver OIN but not the gemeentecode', level: 'must', defect: { kind: 'gemeentecode-ignored' }, caughtBy: ['CNF-109'] },
  { id: 'G31', title: 'numbers every receipt 1', level: 'must', defect: { kind: 'receipt-volgnummer-constant' }, caughtBy: ['CNF-107'] },
  { id: 'G32', title: 'answers an update of the veiligheidsvoorwaarden with a receipt', level: 'must', defect: { kind: 'receipt-for-update' }, caughtBy: ['CNF-108'] },
  { id: 'G33', title: 'gives its receipt up after a 503', level: 'must', defect: { kind: 'receipt-no-retry' }, caughtBy: ['CNF-134', 'CNF-135'] },
  { id: 'G34', title: 'retries its receipt under a new berichtId', level: 'must', defect: { kind: 'receipt-retry-new-id' }, caughtBy: ['CNF-134', 'CNF-135'] },
  { id: 'G35', title: 'sends its receipt with a token for the VT instead of the gateway', level: 'must', defect: { kind: 'receipt-token-wrong-audience' }, caughtBy: ['CNF-101'] },
  { id: 'G36', title: 'answers 500 where it refuses (an unhandled error)', level: 'must', defect: { kind: 'server-error-on-refusal' }, caughtBy: ['CNF-111'] },
  { id: 'G37', title: 'verifies the push token with jose\'s defaults: no bound on its lifetime', level: 'must', defect: { kind: 'push-token-lax', skip: 'lifetime' }, caughtBy: ['CNF-133'] },
  { id: 'G39', title: 'caches a failed key lookup as "no keys": refuses the sender for good once the directory was down', level: 'must', defect: { kind: 'key-directory-failure-cached' }, caughtBy: ['CNF-132'] },
  { id: 'G40', title: 'writes its receipt\'s times in Amsterdam wall-clock time with a Z', level: 'must', defect: { kind: 'receipt-local-time-as-utc' }, caughtBy: ['CNF-101'] },
  { id: 'G41', title: 'reads any body as JSON, whatever its media type', level: 'must', defect: { kind: 'any-media-type' }, caughtBy: ['CNF-137'] },
  { id: 'G38', title: 'sends a receipt also for a handover it received in cc', level: 'must', defect: { kind: 'receipt-from-cc' }, caughtBy: ['CNF-110'] },
  { id: 'G43', title: 'looks the berichtId up, then stores it in a later asynchronous write: a retry overlapping an attempt is taken twice', level: 'must', defect: { kind: 'dedup-race' }, caughtBy: ['CNF-138'] },
  { id: 'G44', title: 'sends its receipts as a gemeente although the handover named it (and it is registered) as a lokaal team', level: 'must', defect: { kind: 'receipt-wrong-role' }, caughtBy: ['CNF-101'] },
  { id: 'G45', title: 'cites BER-006 for every schema finding, also for a member the schema does not define (BER-007)', level: 'should', defect: { kind: 'schema-findings-as-ber-006' }, caughtBy: ['CNF-139'] },
  { id: 'G42', title: 'caches each sender\'s keys from the first lookup and never fetches them again: a rotated key is refused for good', level: 'must', defect: { kind: 'key-cache-no-refetch' }, caughtBy: ['CNF-131', 'CNF-132'] },
  // The trail and the lifecycle (issue 18; reading round 3, (c)8): a receiver built without them passed the suite.
  { id: 'G46', title: 'takes an update in another dossier than the handover it updates (no BER-013)', level: 'must', defect: { kind: 'ignores-rule', rule: 'BER-013' }, caughtBy: ['CNF-163'] },
  { id: 'G47', title: 'takes an escalatie-antwoord sent before the escalatie it answers (no BER-016)', level: 'must', defect: { kind: 'ignores-rule', rule: 'BER-016' }, caughtBy: ['CNF-166'] },
  { id: 'G48', title: 'skips the lifecycle checks (no LVC rule at all)', level: 'must', defect: { kind: 'ignores-prefix', prefix: 'LVC' }, caughtBy: ['CNF-321', 'CNF-322', 'CNF-323', 'CNF-324', 'CNF-326', 'CNF-327', 'CNF-328', 'CNF-329'] },
  { id: 'G49', title: 'checks no trail rule at all (receiver.md §6 step 10 left out)', level: 'must', defect: { kind: 'no-trail-rules' }, caughtBy: ['CNF-163', 'CNF-166', 'CNF-322', 'CNF-323', 'CNF-327'] },
  { id: 'G50', title: 'refuses on a trail warning: a monitoring after a direct handover (LVC-005) is refused', level: 'must', defect: { kind: 'refuses-warnings' }, caughtBy: ['CNF-325'] },
  { id: 'G51', title: 'answers a trail breach with 409 and no rule cited', level: 'should', defect: { kind: 'trail-as-conflict' }, caughtBy: ['CNF-380'] },
  // Q136 and Q140 (fourth reading round): a held resend before the signatures, and epk against alg.
  { id: 'G52', title: 'looks for a bericht it holds only after the signatures: a resend of a handover it holds is answered 503 while the key directory is down', level: 'must', defect: { kind: 'signatures-before-held' }, caughtBy: ['CNF-381'] },
  { id: 'G53', title: 'does not hold a JWE\'s epk against its alg: an RSA-OAEP-256 JWE with an epk member is taken', level: 'must', defect: { kind: 'jwe-epk-unchecked' }, caughtBy: ['CNF-382'], encryption: 'RSA-OAEP-256' },
  // The later receipts of a person's decision, asked through the trigger hook (a fresh reader: no gemeente case sent one).
  { id: 'G54', title: 'sends a niet-geaccepteerd without the reden the person gave', level: 'must', defect: { kind: 'refusal-without-reden' }, caughtBy: ['CNF-383'] },
  { id: 'G55', title: 'sends an acceptance without its behandelaar', level: 'must', defect: { kind: 'acceptance-without-behandelaar' }, caughtBy: ['CNF-384'] },
  { id: 'G56', title: 'sends an acceptance of a handover to two receivers without the afstemming (no lead named)', level: 'must', defect: { kind: 'acceptance-without-afstemming' }, caughtBy: ['CNF-385'] },
  { id: 'G57', title: 'names VT, the handover\'s sender, as the lead in its afstemming: no receiver of the handover', level: 'must', defect: { kind: 'acceptance-regie-not-receiver' }, caughtBy: ['CNF-385'] },
  { id: 'G58', title: 'takes a second decision on a handover it accepted, and sends a second acceptance', level: 'must', defect: { kind: 'decides-twice' }, caughtBy: ['CNF-386'] },
  { id: 'G59', title: 'dates its acceptance\'s ontvangenOp at the moment of the decision, not at the handover\'s arrival', level: 'must', defect: { kind: 'decision-ontvangenop-now' }, caughtBy: ['CNF-387'] },
  { id: 'G60', title: 'sends a decision at once, before the gateway answered its ontvangen', level: 'should', defect: { kind: 'decision-not-queued' }, caughtBy: ['CNF-388'] },
  // A fresh reader's receiver (the gaps round): ENC-004's list of header members left out.
  { id: 'G61', title: 'checks a JWE\'s alg, enc, kid and epk but not its other header members: a JWE whose header also carries x5u is taken', level: 'must', defect: { kind: 'jwe-header-members-unchecked' }, caughtBy: ['CNF-389'] },
  // A fresh reader's postbus reader (the gaps round): a round that does not follow volgende is stuck behind a bericht it refused.
  { id: 'G62', title: 'reads its postbus sending the cursor as cursor, not after: every read is the first page', level: 'must', defect: { kind: 'postbus-pages-unfollowed', how: 'cursor-param' }, caughtBy: ['CNF-390'], mode: 'postbus' },
  { id: 'G63', title: 'reads only the first page of its postbus each round, never following volgende', level: 'must', defect: { kind: 'postbus-pages-unfollowed', how: 'first-page-only' }, caughtBy: ['CNF-390'], mode: 'postbus' },
  // A fresh reader's sender (round 38) ignored Retry-After at first; the suite did not catch it.
  { id: 'G64', title: 'sends its receipt again after its own backoff step, before the gateway\'s Retry-After', level: 'must', defect: { kind: 'receipt-ignores-retry-after' }, caughtBy: ['CNF-391'] },
];

/** Variants of the reference VT system: its sending side, and its receiving endpoint (receipts). */
export const VT_VARIANTS: readonly Variant<ReferenceVtDefect>[] = [
  { id: 'V01', title: 'sends a member the schema does not define', level: 'must', defect: { kind: 'invalid-bericht' }, caughtBy: ['CNF-701'] },
  { id: 'V02', title: 'sends unsigned', level: 'must', defect: { kind: 'unsigned' }, caughtBy: ['CNF-702'] },
  { id: 'V03', title: 'signs with a key not registered for it', level: 'must', defect: { kind: 'unregistered-key' }, caughtBy: ['CNF-703'] },
  { id: 'V04', title: 'changes the bericht after signing', level: 'must', defect: { kind: 'changed-after-signing' }, caughtBy: ['CNF-704'] },
  { id: 'V05', title: 'signs JSON.stringify output, not the canonical form', level: 'must', defect: { kind: 'signs-non-canonical' }, caughtBy: ['CNF-704'] },
  { id: 'V06', title: 'addresses an unregistered receiver', level: 'must', defect: { kind: 'unregistered-receiver' }, caughtBy: ['CNF-705'] },
  { id: 'V07', title: 'its token names another audience than the gateway', level: 'must', defect: { kind: 'token-wrong-audience' }, caughtBy: ['CNF-706'] },
  { id: 'V08', title: 'its token lives an hour', level: 'must', defect: { kind: 'token-long-lived' }, caughtBy: ['CNF-706'] },
  { id: 'V09', title: 'signs its token with an unregistered key', level: 'must', defect: { kind: 'token-unregistered-key' }, caughtBy: ['CNF-706'] },
  { id: 'V10', title: 'gives an update the volgnummer of its handover', level: 'must', defect: { kind: 'volgnummer-repeats' }, caughtBy: ['CNF-707'] },
  { id: 'V11', title: 'sends an update to the first receiver only', level: 'must', defect: { kind: 'update-first-receiver-only' }, caughtBy: ['CNF-707'] },
  { id: 'V12', title: 'sends an update without naming the handover', level: 'must', defect: { kind: 'update-without-reference' }, caughtBy: ['CNF-707'] },
  { id: 'V13', title: 'gives up after a 503', level: 'must', defect: { kind: 'no-retry' }, caughtBy: ['CNF-711'] },
  { id: 'V14', title: 'rebuilds the bericht for a retry', level: 'must', defect: { kind: 'retry-rebuilds' }, caughtBy: ['CNF-712'] },
  { id: 'V15', title: 'retries under a new berichtId', level: 'must', defect: { kind: 'retry-new-id' }, caughtBy: ['CNF-711'] },
  { id: 'V16', title: 'takes a lost answer as delivered', level: 'must', defect: { kind: 'no-retry-on-lost' }, caughtBy: ['CNF-712'] },
  { id: 'V17', title: 'retries a 422 unchanged', level: 'must', defect: { kind: 'retries-refused' }, caughtBy: ['CNF-713'] },
  { id: 'V18', title: 'cannot take receipts', level: 'must', defect: receiver({ kind: 'refuses-receipts' }), caughtBy: ['CNF-721'] },
  { id: 'V19', title: 'takes a receipt without countersignature', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'SIG-001' }), caughtBy: ['CNF-722'] },
  { id: 'V20', title: 'takes a receipt signed with HS256', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'SIG-002' }), caughtBy: ['CNF-724'] },
  { id: 'V21', title: 'takes a receipt signed with an unknown key', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'SIG-003' }), caughtBy: ['CNF-725'] },
  { id: 'V22', title: 'does not check who signed a receipt', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'SIG-004' }), caughtBy: ['CNF-726'] },
  { id: 'V23', title: 'does not check that a receipt\'s signature matches', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'SIG-005' }), caughtBy: ['CNF-728'] },
  { id: 'V24', title: 'takes a receipt with a used berichtId and other content', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-015' }), caughtBy: ['CNF-729'] },
  { id: 'V25', title: 'does not look at the push token at all', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'AFL-002' }), caughtBy: ['CNF-735'] },
  { id: 'V26', title: 'decodes the push token without checking its signature', level: 'must', defect: receiver({ kind: 'push-token-lax', skip: 'signature' }), caughtBy: ['CNF-736'] },
  { id: 'V27', title: 'does not check the push token\'s audience', level: 'must', defect: receiver({ kind: 'push-token-lax', skip: 'audience' }), caughtBy: ['CNF-737'] },
  { id: 'V28', title: 'does not check the push token\'s expiry', level: 'must', defect: receiver({ kind: 'push-token-lax', skip: 'expiry' }), caughtBy: ['CNF-738'] },
  { id: 'V29', title: 'takes a push token twice', level: 'must', defect: receiver({ kind: 'push-token-lax', skip: 'replay' }), caughtBy: ['CNF-739'] },
  { id: 'V30', title: 'takes a push token of any participant', level: 'must', defect: receiver({ kind: 'push-token-lax', skip: 'issuer' }), caughtBy: ['CNF-710'] },
  { id: 'V31', title: 'ignores key validity windows on receipts', level: 'must', defect: receiver({ kind: 'key-window-ignored' }), caughtBy: ['CNF-730', 'CNF-731', 'CNF-732'] },
  { id: 'V32', title: 'checks the revocation list only, not nbf and exp', level: 'must', defect: receiver({ kind: 'key-expiry-ignored' }), caughtBy: ['CNF-731', 'CNF-732'] },
  { id: 'V33', title: 'judges revocation at the signer\'s iat, not at the countersignature time', level: 'must', defect: receiver({ kind: 'key-revocation-at-iat' }), caughtBy: ['CNF-733'] },
  { id: 'V34', title: 'caches keys by kid across participants', level: 'must', defect: receiver({ kind: 'key-cache-by-kid' }), caughtBy: ['CNF-734'] },
  { id: 'V35', title: 'takes a receipt unverified when the key directory cannot be read', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'AFL-004' }), caughtBy: ['CNF-708'] },
  { id: 'V36', title: 'refuses a receipt for good when the key directory cannot be read', level: 'must', defect: receiver({ kind: 'key-directory-refuses' }), caughtBy: ['CNF-708'] },
  { id: 'V37', title: 'answers 500 where it refuses a receipt', level: 'must', defect: receiver({ kind: 'server-error-on-refusal' }), caughtBy: ['CNF-722'] },
  { id: 'V39', title: 'caches a failed key lookup as "no keys"', level: 'must', defect: receiver({ kind: 'key-directory-failure-cached' }), caughtBy: ['CNF-709'] },
  { id: 'V40', title: 'reuses its bearer token for every request while it is valid', level: 'must', defect: { kind: 'token-reused' }, caughtBy: ['CNF-706'] },
  { id: 'V38', title: 'verifies the push token with jose\'s defaults: no bound on its lifetime', level: 'must', defect: receiver({ kind: 'push-token-lax', skip: 'lifetime' }), caughtBy: ['CNF-714'] },
  { id: 'V41', title: 'caches each sender\'s keys from the first lookup and never fetches them again: a receipt signed with a rotated key is refused for good', level: 'must', defect: receiver({ kind: 'key-cache-no-refetch' }), caughtBy: ['CNF-708', 'CNF-709'] },
  // The trail and the lifecycle at VT's receiving endpoint (issue 18; reading round 3, (c)8).
  { id: 'V42', title: 'takes a second acceptance of its handover from the same receiver (no ONT-008)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'ONT-008' }), caughtBy: ['CNF-868'] },
  { id: 'V43', title: 'takes a niet-geaccepteerd without a reason (no ONT-001)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'ONT-001' }), caughtBy: ['CNF-861'] },
  { id: 'V44', title: 'takes an acceptance that names no way to reach the behandelaar (no ONT-009)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'ONT-009' }), caughtBy: ['CNF-869'] },
  { id: 'V45', title: 'counts VRW-001\'s receivers wrongly: asks an acceptance to name the lead only of a handover to three or more', level: 'must', defect: receiver({ kind: 'vrw-001-from-three' }), caughtBy: ['CNF-951'] },
  { id: 'V46', title: 'takes an afstemming that names a team that is no receiver of the handover (no VRW-002)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'VRW-002' }), caughtBy: ['CNF-952'] },
  { id: 'V47', title: 'refuses on a trail warning: an acceptance naming another lead than the other receiver\'s (VRW-003) is refused', level: 'must', defect: receiver({ kind: 'refuses-warnings' }), caughtBy: ['CNF-953'] },
  { id: 'V48', title: 'skips the lifecycle checks (no LVC rule at all)', level: 'must', defect: receiver({ kind: 'ignores-prefix', prefix: 'LVC' }), caughtBy: ['CNF-921', 'CNF-922', 'CNF-923', 'CNF-924', 'CNF-926', 'CNF-927', 'CNF-928', 'CNF-929'] },
  { id: 'V49', title: 'takes a receipt of its handover in another dossier (no BER-013)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-013' }), caughtBy: ['CNF-763'] },
  { id: 'V50', title: 'takes an escalatie-antwoord sent before the escalatie it answers (no BER-016)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-016' }), caughtBy: ['CNF-766'] },
  { id: 'V51', title: 'checks no trail rule at all (receiver.md §6 step 10 left out)', level: 'must', defect: receiver({ kind: 'no-trail-rules' }), caughtBy: ['CNF-763', 'CNF-766', 'CNF-868', 'CNF-951', 'CNF-952', 'CNF-922', 'CNF-923', 'CNF-927'] },
  { id: 'V52', title: 'answers a trail breach with 409 and no rule cited', level: 'should', defect: receiver({ kind: 'trail-as-conflict' }), caughtBy: ['CNF-980'] },
  // The input, schema, content and signature-time rules at VT's receiving endpoint (a fresh reader: role vt had no case of them).
  { id: 'V53', title: 'reads input that is no JSON text leniently (no BER-001)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-001' }), caughtBy: ['CNF-751'] },
  { id: 'V54', title: 'has no size limit on a pushed receipt', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-002' }), caughtBy: ['CNF-752'] },
  { id: 'V55', title: 'does not bound the nesting of a push (no BER-003)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-003' }), caughtBy: ['CNF-753'] },
  { id: 'V56', title: 'takes a receipt with a member named __proto__ (no BER-004)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-004' }), caughtBy: ['CNF-754'] },
  { id: 'V57', title: 'takes a receipt of a spec version it does not implement (no BER-005)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-005' }), caughtBy: ['CNF-755'] },
  { id: 'V58', title: 'takes a receipt without a required member (no BER-006)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-006' }), caughtBy: ['CNF-756'] },
  { id: 'V59', title: 'takes a receipt with a member the schema does not define (no BER-007)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-007' }), caughtBy: ['CNF-757'] },
  { id: 'V60', title: 'takes a receipt whose sender is among its receivers (no BER-008)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-008' }), caughtBy: ['CNF-758'] },
  { id: 'V61', title: 'takes a receipt whose dossier reference holds a BSN (no BER-009)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-009' }), caughtBy: ['CNF-759'] },
  { id: 'V62', title: 'takes a receipt that answers itself (no BER-010)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-010' }), caughtBy: ['CNF-760'] },
  { id: 'V73', title: 'takes a receipt that repeats its sender\'s volgnummer in the dossier (no BER-011)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-011' }), caughtBy: ['CNF-761'] },
  { id: 'V74', title: 'takes a receipt whose sender names a role that sends none (no BER-012)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-012' }), caughtBy: ['CNF-762'] },
  { id: 'V75', title: 'takes an escalatie that names a gemeente without its gemeentecode (no BER-014)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-014' }), caughtBy: ['CNF-764'] },
  { id: 'V63', title: 'reads a member named twice last-one-wins (no BER-017)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'BER-017' }), caughtBy: ['CNF-767'] },
  { id: 'V64', title: 'reads a JWS header that names alg twice (no SIG-006)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'SIG-006' }), caughtBy: ['CNF-746'] },
  { id: 'V65', title: 'takes a signature whose iat lies after the countersignature\'s rcv (no SIG-007)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'SIG-007' }), caughtBy: ['CNF-747'] },
  { id: 'V66', title: 'takes a signature whose iat lies 30 days before the countersignature\'s rcv (no SIG-008)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'SIG-008' }), caughtBy: ['CNF-748'] },
  { id: 'V67', title: 'takes a receipt that names no handover (no ONT-003)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'ONT-003' }), caughtBy: ['CNF-863'] },
  { id: 'V68', title: 'takes a receipt of its handover from a team the handover was not addressed to (no ONT-004)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'ONT-004' }), caughtBy: ['CNF-864'] },
  { id: 'V69', title: 'takes a receipt received (ontvangenOp) after it was sent (no ONT-005)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'ONT-005' }), caughtBy: ['CNF-865'] },
  { id: 'V70', title: 'takes a receipt whose handover was received (ontvangenOp) before it was sent (no ONT-006)', level: 'must', defect: receiver({ kind: 'ignores-rule', rule: 'ONT-006' }), caughtBy: ['CNF-866'] },
  { id: 'V71', title: 'takes a receipt addressed to another VT system (no AFL-003)', level: 'must', defect: receiver({ kind: 'answers-not-addressed' }), caughtBy: ['CNF-715'] },
  { id: 'V72', title: 'looks for a receipt it holds only after the signatures: a resend is answered 503 while the key directory is down', level: 'must', defect: receiver({ kind: 'signatures-before-held' }), caughtBy: ['CNF-716'] },
  // A fresh reader's VT (the gaps round): a 202 taken as accepted whatever its transport receipt.
  { id: 'V76', title: 'takes any 2xx as accepted without verifying the transport receipt: sends an update that refers to a handover whose receipt did not verify', level: 'must', defect: { kind: 'transport-receipt-unchecked' }, caughtBy: ['CNF-717'] },
  // A fresh reader's sender (round 38) ignored Retry-After at first; the suite did not catch it.
  { id: 'V77', title: 'sends its handover again after its own backoff step, before the gateway\'s Retry-After', level: 'must', defect: { kind: 'ignores-retry-after' }, caughtBy: ['CNF-981'] },
];

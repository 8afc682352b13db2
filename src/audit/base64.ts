/** Strict standard base64 (RFC 4648 section 4), as signed notes and checkpoints require. */

/**
 * The bytes of canonical padded standard base64, or `undefined` for anything else: URL-safe letters,
 * missing padding, non-zero padding bits (SOURCE.md quirk 15) or stray characters.
 */
export function strictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

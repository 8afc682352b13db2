/** The stable code of an error a library call threw (a ZichtError's `code`, a Node error code), for a reason line; never its message. */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'error';
}

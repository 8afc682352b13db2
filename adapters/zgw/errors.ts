/**
 * The ZGW adapter's errors: a stable code, never a response body or a value of a bericht (a ZGW
 * API's error text may echo the personal data we sent it).
 */

/** Every code the ZGW adapter raises, listed once. */
export const ZGW_ERROR_CODES = {
  ZGW_UNAVAILABLE: 'A ZGW API or the gateway could not be reached or answered 5xx, 408, 425 or 429; try again later.',
  ZGW_REFUSED: 'A ZGW API or the gateway refused the request (another 4xx); trying again will not help without a change.',
  ZGW_RESPONSE_INVALID: 'A ZGW API answered with a body that lacks what its contract promises (e.g. no url of a created resource).',
} as const;

export type ZgwErrorCode = keyof typeof ZGW_ERROR_CODES;

/** An error of the ZGW adapter; `status` is the HTTP status that caused it, when there was one. */
export class ZgwError extends Error {
  readonly code: ZgwErrorCode;
  readonly status: number | undefined;

  constructor(code: ZgwErrorCode, status?: number) {
    super(status === undefined ? ZGW_ERROR_CODES[code] : `${ZGW_ERROR_CODES[code]} (HTTP ${String(status)})`);
    this.name = 'ZgwError';
    this.code = code;
    this.status = status;
  }
}

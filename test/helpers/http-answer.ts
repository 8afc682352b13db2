/**
 * One HTTP call to a gateway as the storage-trouble tests make it: status, media type, Retry-After and
 * the rule ids of a problem's issues (undefined when the answer has no JSON body).
 */
import { request } from 'undici';

export interface Answer {
  readonly status: number;
  readonly type: string;
  readonly retryAfter: string | undefined;
  readonly rules: string[] | undefined;
}

export async function call(url: string, init: { method?: 'GET' | 'POST'; body?: string; token?: string } = {}): Promise<Answer> {
  const response = await request(url, {
    method: init.method ?? 'GET',
    ...(init.body === undefined ? {} : { body: init.body }),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }) },
  });
  const text = await response.body.text();
  const type = String(response.headers['content-type'] ?? '');
  const retryAfter = response.headers['retry-after'];
  const body = type.includes('json') && text !== '' ? (JSON.parse(text) as { issues?: { rule: string }[] }) : undefined;
  return { status: response.statusCode, type, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined, rules: body?.issues?.map((i) => i.rule) };
}

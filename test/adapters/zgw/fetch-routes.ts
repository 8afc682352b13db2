/**
 * msw is not installed in this repository (node_modules is shared and no dependency may be added), so
 * the ZGW fakes use this stand-in with msw's shape: `http.post(url, resolver)` routes, a resolver that
 * gets `{ request }` and returns a Response, and a global `fetch` that answers from the routes and
 * fails on any request no route handles (msw's `onUnhandledRequest: 'error'`). Swapping in msw later is
 * a change of imports.
 */
export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly resolve: (info: { request: Request }) => Response | Promise<Response>;
}

const route = (method: string) => (url: string, resolve: Route['resolve']): Route => ({
  method,
  pattern: new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\$|:[A-Za-z]+/g, (m) => (m.startsWith(':') ? '[^/?#]+' : m))}$`),
  resolve,
});

/** Route builders, as msw's `http`. */
export const http = { get: route('GET'), post: route('POST') };

/** Response helpers, as msw's `HttpResponse`. */
export const HttpResponse = { json: (body: unknown, init?: ResponseInit): Response => Response.json(body, init) };

/** A fetch over routes; installs with {@link FetchRoutes.listen}, restores with `close`. */
export class FetchRoutes {
  #routes: Route[] = [];
  #original: typeof fetch | undefined;
  readonly unhandled: string[] = [];

  listen(): void {
    this.#original = globalThis.fetch;
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      const url = request.url.split('?')[0] ?? request.url;
      const found = this.#routes.find((r) => r.method === request.method && r.pattern.test(url));
      if (!found) {
        this.unhandled.push(`${request.method} ${url}`);
        throw new TypeError('fetch failed: unhandled request');
      }
      return found.resolve({ request });
    };
  }

  resetHandlers(...routes: Route[]): void {
    this.#routes = routes;
  }

  close(): void {
    if (this.#original) globalThis.fetch = this.#original;
  }
}

// Browsers on other sites: CORS is closed unless CORS_ORIGINS lists origins, and CSRF
// prevention refuses the requests a browser sends cross-site without asking first (a form
// POST, a plain GET), so a page elsewhere cannot make its visitors submit tasks or spend
// their rate budget. Requests with a JSON body are preflighted by browsers, so they pass;
// other clients (GET with curl, a form-encoded POST) add the `x-graphql-yoga-csrf` header.
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin, type YogaServerOptions } from 'graphql-yoga';

/** The header that marks a non-preflighted request as deliberate. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** yoga's `cors` option: none (no CORS headers at all) unless origins are listed. */
export function corsOptions(origins: string[]): YogaServerOptions<object, object>['cors'] {
  if (origins.length === 0) return false;
  return { origin: origins, credentials: false, methods: ['GET', 'POST'], allowedHeaders: ['content-type', 'accept', CSRF_HEADER] };
}

/** @graphql-yoga/plugin-csrf-prevention, answering 403 with extensions.code CSRF_PREVENTED. */
export function useCsrfPrevention(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      try {
        return csrf.onRequestParse?.(payload);
      } catch {
        throw createGraphQLError(
          `Refused as a possible cross-site request: send the query as JSON (content-type: application/json), or add the ${CSRF_HEADER} header.`,
          { extensions: { code: 'CSRF_PREVENTED', http: { status: 403 } } },
        );
      }
    },
  };
}

/** Whether a WebSocket handshake's Origin may connect: no Origin (not a browser), the API's own host, or a listed origin. */
export function websocketOriginAllowed(origin: string | undefined, host: string | undefined, allowed: string[]): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

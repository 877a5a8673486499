/** One route the HTTP server answers, in OpenAPI notation: `GET /runs/{id}`. */
export interface RegisteredRoute {
  method: string;
  path: string;
}

interface RouterLayer {
  route?: { path?: unknown; methods?: Record<string, boolean> };
}

/**
 * Every route registered on an Express application (Express 5 keeps them in `app.router.stack`),
 * with `:param` written `{param}` as in an OpenAPI document. The OpenAPI test compares this with
 * the document, so a route without documentation cannot slip in.
 */
export function registeredRoutes(expressApp: unknown): RegisteredRoute[] {
  const router = (expressApp as { router?: { stack?: RouterLayer[] } }).router;
  const routes: RegisteredRoute[] = [];
  for (const layer of router?.stack ?? []) {
    const path = layer.route?.path;
    if (typeof path !== 'string') continue;
    for (const [method, enabled] of Object.entries(layer.route?.methods ?? {})) {
      if (enabled && method !== '_all') {
        routes.push({ method: method.toLowerCase(), path: path.replace(/:(\w+)/g, '{$1}') });
      }
    }
  }
  return routes;
}

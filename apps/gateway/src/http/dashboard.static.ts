import fs from 'node:fs';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Where `npm run build` puts the dashboard (apps/dashboard/dist), from src/ or dist/ alike. */
export const DASHBOARD_DIST = path.resolve(__dirname, '../../../dashboard/dist');

export const DASHBOARD_PREFIX = '/dashboard/';

/**
 * The dashboard's pages may load only what the gateway serves; inline styles are allowed because
 * the graph and chart libraries position elements with style attributes.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const RUN_PAGE = /^\/runs\/([0-9a-fA-F-]{36})$/;

const isRead = (req: Request) => req.method === 'GET' || req.method === 'HEAD';

/**
 * Serves the built dashboard at /dashboard/ (public: it holds no data; every API call it makes
 * carries the user's key) with a fallback to index.html for its client-side routes, and sends a
 * browser that opens `/` there. API clients asking for JSON at `/` keep the API's 404. Registered
 * before authentication, so its files never need a key.
 */
export function serveDashboard(app: NestExpressApplication, dir: string = DASHBOARD_DIST): void {
  const index = path.join(dir, 'index.html');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!isRead(req)) return next();
    if (req.path === '/' && req.accepts(['json', 'html']) === 'html')
      return res.redirect(302, DASHBOARD_PREFIX);
    if (req.path === '/dashboard') return res.redirect(301, DASHBOARD_PREFIX);
    // A run link opened in a browser (Slack messages link to PUBLIC_BASE_URL/runs/{id}) shows the run page.
    const run = RUN_PAGE.exec(req.path);
    if (run && req.accepts(['json', 'html']) === 'html')
      return res.redirect(302, `${DASHBOARD_PREFIX}runs/${run[1]}`);
    if (req.path.startsWith(DASHBOARD_PREFIX)) res.setHeader('Content-Security-Policy', CSP);
    next();
  });
  app.useStaticAssets(dir, {
    prefix: DASHBOARD_PREFIX,
    index: false,
    fallthrough: true,
    // File names under assets/ carry a content hash: cache them for good; anything else is revalidated.
    setHeaders: (res: Response, file: string) =>
      res.setHeader(
        'Cache-Control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!isRead(req) || !req.path.startsWith(DASHBOARD_PREFIX)) return next();
    // A missing hashed asset is a 404, not the page (a stale tab would otherwise parse HTML as JS).
    if (req.path.startsWith(`${DASHBOARD_PREFIX}assets/`))
      return res.status(404).type('text/plain').send('not found');
    if (!fs.existsSync(index)) {
      return res.status(404).type('text/plain').send('The dashboard is not built: run `npm run build`.');
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

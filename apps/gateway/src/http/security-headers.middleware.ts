import type { NextFunction, Request, Response } from 'express';

/**
 * Headers every response carries, errors included: no MIME sniffing of JSON, no framing of the
 * API, no Referer leaking run ids to other sites.
 */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

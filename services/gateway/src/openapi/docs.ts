import type { Express, RequestHandler } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { API_PREFIX } from '../routes.js';
import { openApiDocument } from './document.js';

const DOCS_PATH = '/docs';

/**
 * Helmet's headers, except that the docs page leaves out `upgrade-insecure-requests`: with it a
 * browser fetches the Swagger UI assets over https, so over plain HTTP on any address but
 * loopback the page stays blank.
 */
export function securityHeaders(): RequestHandler {
  const standard = helmet();
  const docs = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  return (req, res, next) => {
    const isDocs = req.path === DOCS_PATH || req.path.startsWith(`${DOCS_PATH}/`);
    (isDocs ? docs : standard)(req, res, next);
  };
}

/** `/api/v1/openapi.json` and an interactive page at `/docs`. */
export function apiDocs(app: Express): void {
  const document = openApiDocument();
  app.get(`${API_PREFIX}/openapi.json`, (_req, res) => {
    res.json(document);
  });
  app.use(
    DOCS_PATH,
    swaggerUi.serve,
    swaggerUi.setup(document, { customSiteTitle: 'Messenger API' }),
  );
}

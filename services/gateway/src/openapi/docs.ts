import type { Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import { API_PREFIX } from '../routes.js';
import { openApiDocument } from './document.js';

/** `/api/v1/openapi.json` and an interactive page at `/docs`. */
export function apiDocs(app: Express): void {
  const document = openApiDocument();
  app.get(`${API_PREFIX}/openapi.json`, (_req, res) => {
    res.json(document);
  });
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(document, { customSiteTitle: 'Messenger API' }),
  );
}

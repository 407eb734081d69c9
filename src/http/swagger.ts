/** The OpenAPI 3 document, built by swagger-jsdoc from the `@openapi` blocks beside the routes. */
import { fileURLToPath } from 'node:url';
import swaggerJsdoc from 'swagger-jsdoc';

const root = fileURLToPath(new URL('../../', import.meta.url));

export function buildOpenApiDocument(version: string): object {
  return swaggerJsdoc({
    definition: {
      openapi: '3.0.3',
      info: {
        title: 'Support bot API',
        version,
        description: 'Web chat API (wire-compatible with the original service), catalog search, Telegram webhooks and operations endpoints.',
      },
    },
    // Under tsx the sources, in production the compiled files (tsc keeps the comments).
    apis: [`${root}channels/**/*.[jt]s`, `${root}src/http/**/*.[jt]s`],
  });
}

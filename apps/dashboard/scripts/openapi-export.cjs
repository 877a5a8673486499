// The gateway's OpenAPI document without a database or a broker: Nest's preview mode builds the
// module graph and the routes but instantiates no provider, so nothing connects anywhere.
// Needs the compiled gateway (`tsc -b tsconfig.build.json`). Prints the document on stdout.
require('reflect-metadata');
const path = require('node:path');
const gatewayDist = path.resolve(__dirname, '../../gateway/dist');
const { NestFactory } = require('@nestjs/core');
const { AppModule } = require(path.join(gatewayDist, 'app.module'));
const { loadGatewayConfig } = require(path.join(gatewayDist, 'config/gateway.config'));
const { buildOpenApiDocument } = require(path.join(gatewayDist, 'openapi/openapi.document'));
const { createLogger, createMetricsRegistry } = require('@sandcastle/observability');

async function main() {
  // Defaults only: the document does not depend on the environment's values.
  const config = loadGatewayConfig({});
  const app = await NestFactory.create(
    AppModule.forRoot(config, createLogger('gateway', 'error'), createMetricsRegistry('gateway')),
    { preview: true, logger: false, abortOnError: false },
  );
  const document = buildOpenApiDocument(app);
  await app.close();
  process.stdout.write(JSON.stringify(document));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

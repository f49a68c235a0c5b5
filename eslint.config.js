// ESLint (flat config): @eslint/js and typescript-eslint recommended, the code style's own rules, and
// `layers/imports`, which keeps the layering from eroding (see LAYERS). `npm run lint` runs it with
// `prettier --check`; `npm test` runs `npm run lint`. test/lint/layers.test.ts proves the rule fires.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * Who may import what inside the repository. A file belongs to the first entry whose `files` match
 * (a folder ends with '/'); it may import its own entry's files, and from `src/` only the `allow`
 * entries (`types`: `import type` only). Importing a `src/` file that belongs to no entry is an error
 * too: a new file or folder must be placed here first. The package's own name is resolved as well
 * (`hcw-realtime-sdk/state` is `src/state/`), so a self-import cannot bypass the rule.
 */
const LAYERS = [
  { name: 'src/contract', files: ['src/contract/'], allow: [] },
  { name: 'src/core', files: ['src/core/'], allow: ['src/contract/'] },
  { name: 'src/namespaces', files: ['src/namespaces/'], allow: ['src/contract/', 'src/core/'] },
  {
    name: 'the client entry (src/client.ts, src/realtime-client.ts, src/index.ts, src/index.node.ts)',
    files: ['src/client.ts', 'src/realtime-client.ts', 'src/index.ts', 'src/index.node.ts'],
    allow: ['src/contract/', 'src/core/', 'src/namespaces/'],
  },
  {
    name: 'src/state',
    files: ['src/state/'],
    allow: ['src/contract/', 'src/core/', 'src/namespaces/'],
    types: ['src/client.ts', 'src/realtime-client.ts'],
  },
  // Media parts talk to the server only through their signalling port: the HCW adapter (and the
  // entry that builds it) is the one media file that knows the client.
  {
    name: 'the media signalling adapter (src/media/hcw-signalling.ts, src/media/index.ts)',
    files: ['src/media/hcw-signalling.ts', 'src/media/index.ts'],
    allow: ['src/contract/', 'src/core/', 'src/namespaces/', 'src/media/'],
    types: ['src/client.ts', 'src/realtime-client.ts'],
  },
  // Peer-to-peer media: the signalling adapters (and the entry that exports them) are the p2p
  // files that know the client and a contract; the other p2p parts reuse only the
  // mediasoup-free media parts (no mediasoup-client in a p2p bundle).
  {
    name: 'the p2p signalling adapters (src/media/p2p/root-prefixed-signalling.ts, plain-ws-signalling.ts, src/media/p2p/index.ts)',
    files: ['src/media/p2p/root-prefixed-signalling.ts', 'src/media/p2p/plain-ws-signalling.ts', 'src/media/p2p/index.ts'],
    allow: ['src/contract/', 'src/core/', 'src/media/p2p/', 'src/contracts/root-prefixed.ts', 'src/contracts/plain-ws.ts'],
    types: ['src/realtime-client.ts'],
  },
  {
    name: 'src/media/p2p',
    files: ['src/media/p2p/'],
    allow: [
      'src/contract/',
      'src/core/',
      'src/media/local-media.ts',
      'src/media/quality.ts',
      'src/media/permissions.ts',
      'src/media/types.ts',
      'src/media/media-error.ts',
    ],
  },
  { name: 'src/media', files: ['src/media/'], allow: ['src/contract/', 'src/core/'] },
  { name: 'src/contracts', files: ['src/contracts/'], allow: ['src/contract/', 'src/core/'] },
  // The plain WebSocket transport's entry (browsers and React Native; Node's build on `ws`): the core's transport, no client.
  {
    name: 'the websocket entry (src/websocket.ts, src/websocket.node.ts)',
    files: ['src/websocket.ts', 'src/websocket.node.ts'],
    allow: ['src/contract/', 'src/core/'],
  },
  // The test server stands for a real backend: it shares the contracts with the SDK, nothing else.
  { name: 'test-server', files: ['test-server/'], allow: ['src/contract/', 'src/contracts/'] },
];

/** The repository's root: layers are paths from here, whichever folder ESLint runs in. */
const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** The package's own entry points, as a file of the repository (`exports` in package.json). */
const SELF = 'hcw-realtime-sdk';
const SELF_ENTRIES = {
  '.': 'src/index.ts',
  './contract': 'src/contract/index.ts',
  './state': 'src/state/index.ts',
  './media': 'src/media/index.ts',
  './media/p2p': 'src/media/p2p/index.ts',
  './websocket': 'src/websocket.ts',
  './umd': 'src/index.ts',
};

const stripExtension = (file) => file.replace(/\.(?:d\.)?[cm]?[jt]sx?$/, '');
const inScope = (file, scope) =>
  scope.endsWith('/') ? file.startsWith(scope) || file === scope.slice(0, -1) : stripExtension(file) === stripExtension(scope);
const layerOf = (file) => LAYERS.find((layer) => layer.files.some((scope) => inScope(file, scope)));

/** The repository path an import specifier names, or undefined when it is a dependency's. */
function target(specifier, importer) {
  if (specifier.startsWith('.')) return path.posix.normalize(path.posix.join(path.posix.dirname(importer), specifier));
  if (specifier !== SELF && !specifier.startsWith(`${SELF}/`)) return undefined;
  const entry = `.${specifier.slice(SELF.length)}`;
  return SELF_ENTRIES[entry] ?? `src/${entry.slice(2)}`;
}

/** @type {import('eslint').Rule.RuleModule} */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps the layering: contract ← core ← namespaces ← client ← state/media; test-server imports only the contract' },
    schema: [],
    messages: {
      forbidden: "{{layer}} must not import {{target}} ('{{specifier}}'): it may import from src/ only {{allowed}}.",
      typesOnly: "{{layer}} may import {{target}} ('{{specifier}}') for its types only: use `import type`.",
      unplaced: "'{{specifier}}' is {{target}}, which belongs to no layer: place it in LAYERS (eslint.config.js) first.",
      outside: "src/ must not import {{target}} ('{{specifier}}'), which is outside src/.",
    },
  },
  create(context) {
    const importer = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const own = layerOf(importer);
    const inSrc = importer.startsWith('src/');
    if (!own && !inSrc) return {};
    function check(sourceNode, typeOnly) {
      if (!sourceNode || typeof sourceNode.value !== 'string') return;
      const specifier = sourceNode.value;
      const file = target(specifier, importer);
      if (file === undefined) return;
      const data = { layer: own?.name ?? importer, target: file, specifier };
      if (!file.startsWith('src/')) {
        if (inSrc) context.report({ node: sourceNode, messageId: 'outside', data });
        return;
      }
      const theirs = layerOf(file);
      if (!theirs) return context.report({ node: sourceNode, messageId: 'unplaced', data });
      if (!own || theirs === own) return;
      const allowed = (scopes = []) => scopes.some((scope) => inScope(file, scope));
      if (allowed(own.allow)) return;
      if (allowed(own.types)) {
        if (!typeOnly) context.report({ node: sourceNode, messageId: 'typesOnly', data });
        return;
      }
      const list = [...own.allow, ...(own.types ?? []).map((scope) => `${scope} (types)`)];
      context.report({ node: sourceNode, messageId: 'forbidden', data: { ...data, allowed: list.length ? list.join(', ') : 'nothing' } });
    }
    return {
      ImportDeclaration: (node) => check(node.source, node.importKind === 'type'),
      ExportNamedDeclaration: (node) => check(node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node.source, false),
      // `import('../x.js').T` in a type position; `import x = require('../x.js')`.
      TSImportType: (node) => check(node.source ?? node.argument?.literal, true),
      TSExternalModuleReference: (node) => check(node.expression, node.parent?.importKind === 'type'),
    };
  },
};

/** Node's globals, for the plain .mjs scripts (the TypeScript files get theirs from the compiler). */
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

export default defineConfig(
  globalIgnores(['dist/', 'docs/api/', 'examples/*/dist/', 'coverage/', 'test-results/', '.cache/']),
  js.configs.recommended,
  // Type-aware: each TypeScript file is linted with its own tsconfig.json (the root one, or the
  // Angular and React Native examples'); `npm run lint` takes about 20 s on 2 cores.
  tseslint.configs.recommendedTypeChecked,
  { name: 'hcw/types', languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: ROOT } } },
  {
    name: 'hcw/all',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { layers: { rules: { imports: layersRule } } },
    rules: {
      'layers/imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      // Under verbatimModuleSyntax `import { type A }` still loads the module: say `import type { A }`.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // `async` without `await` is how a Promise-returning interface is implemented here (a throw
      // becomes a rejection); passing on a caught `unknown` is not rejecting with a non-Error.
      '@typescript-eslint/require-await': 'off',
      // `let x; const f = () => x?.y(); x = subscribe(f)`: a const would throw if f ran before the assignment.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    // The tests read untyped wire payloads (socket.io-client hands them over as `any`) and check
    // them with expect(): `any` is the point there, and no-unsafe-* would ask for a cast on every line.
    name: 'hcw/tests',
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (configs, .mjs scripts): no tsconfig covers it, so no type-aware rules.
    name: 'hcw/javascript',
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: nodeGlobals },
  },
);

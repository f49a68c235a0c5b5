// The layering rule of eslint.config.js (`layers/imports`) run through ESLint's Node API on virtual
// files, so that it cannot stop firing unnoticed: a rule that reports nothing looks the same as a
// clean tree. Only that rule is on here, so the cases need not be otherwise lint-clean.
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
// The virtual files are in no tsconfig: parsed without type information (the rule needs none).
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: tseslint.configs.disableTypeChecked,
  ruleFilter: ({ ruleId }) => ruleId === 'layers/imports',
});

/** The layering messages ESLint reports for `code` as if it were the file `file` of the repository. */
async function layering(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  expect(result!.messages.filter((m) => m.ruleId !== 'layers/imports')).toEqual([]); // no parse error
  return result!.messages.map((m) => m.message);
}

describe('layers/imports (eslint.config.js)', () => {
  test('a lower layer importing a higher one is an error', async () => {
    expect(await layering('src/core/x.ts', "import { ChatStore } from '../state/index.js';\nexport { ChatStore };\n")).toEqual([
      "src/core must not import src/state/index.js ('../state/index.js'): it may import from src/ only src/contract/.",
    ]);
    expect(await layering('src/contract/x.ts', "export * from '../core/errors.js';\n")).toHaveLength(1);
    expect(await layering('src/contract/events/x.ts', "export type { HcwClient } from '../../client.js';\n")).toHaveLength(1);
    expect(await layering('src/namespaces/x.ts', "export const load = () => import('../media/index.js');\n")).toHaveLength(1);
    expect(await layering('src/client.ts', "import '../src/state/chat-store.js';\n")).toHaveLength(1);
    expect(
      await layering('src/state/x.ts', "import type { MediaManager } from '../media/index.js';\nexport type M = MediaManager;\n"),
    ).toHaveLength(1);
    // Only the signalling adapter of media knows the client and its services.
    expect(
      await layering('src/media/publisher.ts', "import type { HcwClient } from '../client.js';\nexport type C = HcwClient;\n"),
    ).toHaveLength(1);
    expect(await layering('src/media/subscriber.ts', "import '../namespaces/mediasoup.js';\n")).toHaveLength(1);
    expect(await layering('src/contracts/x.ts', "import { Channel } from '../namespaces/service.js';\nexport { Channel };\n")).toHaveLength(
      1,
    );
  });

  test('the websocket entry builds on the core only', async () => {
    expect(await layering('src/websocket.ts', "import './core/websocket/transport.js';\nimport './contract/index.js';\n")).toEqual([]);
    expect(
      await layering(
        'src/websocket.node.ts',
        "import { NamespaceService } from './namespaces/service.js';\nexport { NamespaceService };\n",
      ),
    ).toHaveLength(1);
    expect(await layering('src/core/websocket/x.ts', "import '../../realtime-client.js';\n")).toHaveLength(1);
  });

  test('what each layer may import passes', async () => {
    expect(await layering('src/core/x.ts', "import { eventSpec } from '../contract/index.js';\nexport { eventSpec };\n")).toEqual([]);
    expect(
      await layering('src/namespaces/x.ts', "import '../core/channel.js';\nimport '../contract/index.js';\nimport './chat.js';\n"),
    ).toEqual([]);
    expect(await layering('src/index.ts', "export * from './namespaces/chat.js';\nexport * from './realtime-client.js';\n")).toEqual([]);
    expect(await layering('src/media/x.ts', "import '../core/errors.js';\nimport '../contract/index.js';\nimport './y.js';\n")).toEqual([]);
    expect(
      await layering(
        'src/media/hcw-signalling.ts',
        "import '../namespaces/mediasoup.js';\nimport type { HcwClient } from '../client.js';\n",
      ),
    ).toEqual([]);
    expect(await layering('src/contracts/x/y.ts', "import '../../contract/index.js';\nimport '../../core/errors.js';\n")).toEqual([]);
  });

  test('state and the media signalling adapter may use the client for its types only', async () => {
    expect(await layering('src/state/x.ts', "import type { HcwClient } from '../client.js';\nexport type C = HcwClient;\n")).toEqual([]);
    expect(await layering('src/media/hcw-signalling.ts', "export type C = import('../realtime-client.js').RealtimeClient;\n")).toEqual([]);
    expect(await layering('src/state/x.ts', "import { createHcwClient } from '../client.js';\nexport { createHcwClient };\n")).toEqual([
      "src/state may import src/client.js ('../client.js') for its types only: use `import type`.",
    ]);
    expect(
      await layering('src/media/hcw-signalling.ts', "import type { HcwClient } from '../index.js';\nexport type C = HcwClient;\n"),
    ).toHaveLength(1);
  });

  test('the test server imports only the contract and the shipped contracts, by path or by the package name', async () => {
    expect(
      await layering('test-server/x.ts', "import { checkPayload } from '../src/contract/index.js';\nexport { checkPayload };\n"),
    ).toEqual([]);
    expect(await layering('test-server/generic/x.ts', "import 'hcw-realtime-sdk/contract';\n")).toEqual([]);
    expect(await layering('test-server/generic/systems/x.ts', "import '../../../src/contracts/ws-app.js';\n")).toEqual([]);
    expect(
      await layering('test-server/handlers/x.ts', "import { HcwError } from '../../src/core/errors.js';\nexport { HcwError };\n"),
    ).toEqual([
      "test-server must not import src/core/errors.js ('../../src/core/errors.js'): it may import from src/ only src/contract/, src/contracts/.",
    ]);
    expect(
      await layering('test-server/x.ts', "import { createHcwClient } from 'hcw-realtime-sdk';\nexport { createHcwClient };\n"),
    ).toHaveLength(1);
    expect(await layering('test-server/x.ts', "import 'hcw-realtime-sdk/state';\n")).toHaveLength(1);
  });

  test('a file outside every layer, or outside src/, cannot be imported from src/', async () => {
    expect(await layering('src/core/x.ts', "import '../utils/misc.js';\n")).toEqual([
      "'../utils/misc.js' is src/utils/misc.js, which belongs to no layer: place it in LAYERS (eslint.config.js) first.",
    ]);
    expect(await layering('src/core/x.ts', "import '../../test-server/index.js';\n")).toEqual([
      "src/ must not import test-server/index.js ('../../test-server/index.js'), which is outside src/.",
    ]);
    // Dependencies and the tests are not layered.
    expect(await layering('src/core/x.ts', "import 'rxjs';\nimport 'node:path';\n")).toEqual([]);
    expect(await layering('test/core/x.test.ts', "import '../../src/state/index.js';\nimport '../../test-server/index.js';\n")).toEqual([]);
  });
});

/**
 * What the package's declarations cost an app's type-checker. Measured as the number of types
 * TypeScript creates (deterministic for one compiler version, unlike time) when checking a one-line
 * import with `skipLibCheck` off, against zod's own one-line import in the same compiler: the
 * contract is zod schemas, so zod's cost is the floor. Spelling every event out in every namespace
 * (and the contract object again) took the contract to 98k types (2.7× zod), 614 kB of `.d.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const app = mkdtempSync(join(tmpdir(), 'hcw-declarations-'));
mkdirSync(join(app, 'node_modules'));
symlinkSync(ROOT, join(app, 'node_modules', 'hcw-realtime-sdk'), 'dir');
symlinkSync(join(ROOT, 'node_modules', 'zod'), join(app, 'node_modules', 'zod'), 'dir');
writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module' }));
afterAll(() => rmSync(app, { recursive: true, force: true }));

/** Types created while fully checking `source` (declaration files included), and its errors. */
function typesToCheck(name: string, source: string): { types: number; errors: string[] } {
  const file = join(app, `${name}.ts`);
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  });
  const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  return { types: program.getTypeCount(), errors };
}

describe('declarations', () => {
  test('the contract entry costs the type-checker at most 1.7× zod itself; its .d.ts names event groups instead of repeating them', () => {
    const zod = typesToCheck('zod-only', `import type { ZodMiniType } from 'zod/mini';\nexport type T = ZodMiniType;\n`);
    const contract = typesToCheck(
      'contract-only',
      `import type { ChatMessage } from 'hcw-realtime-sdk/contract';\nexport type T = ChatMessage;\n`,
    );
    expect(zod.errors).toEqual([]);
    expect(contract.errors).toEqual([]);
    console.info(
      `[declarations] types to check: zod ${zod.types}, contract ${contract.types} (${(contract.types / zod.types).toFixed(2)}×)`,
    );
    expect(contract.types / zod.types).toBeLessThanOrEqual(1.7);
    expect(statSync(join(ROOT, 'dist', 'contract.d.ts')).size).toBeLessThan(200 * 1024);
  }, 120_000);
});

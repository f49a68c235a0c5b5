import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { ZodMiniType } from 'zod/mini';
import { guardOf, namespaces, requiredSchemaOf, samplePayload } from '../../src/contract/index.js';

/**
 * The guard (src/contract/guard.ts) is a fast path in front of zod: it must agree with zod's
 * `safeParse` on every value, and give back exactly zod's output when it accepts. This suite
 * checks that differentially over every schema of the contract (guard.test.ts); jitless, there is
 * no guard and zod does everything (guard-jitless.test.ts).
 */

interface Def {
  type: string;
  shape?: Record<string, ZodMiniType>;
  options?: ZodMiniType[];
  innerType?: ZodMiniType;
  element?: ZodMiniType;
}
const defOf = (schema: ZodMiniType) => (schema as unknown as { _zod: { def: Def; values?: Set<unknown> } })._zod;

/** Values that break most schemas: wrong types, edge numbers, odd strings, undefined. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, NaN, Infinity, -Infinity, -0, 0, 1.5, 2 ** 53, '', ' ', '😀', 'x', true, false, [], {}),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.array(fc.integer(), { maxLength: 2 }),
  // Plain objects, as JSON.parse makes them (zod's copies are plain even of null-prototype input).
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2, noNullPrototype: true }),
);

const arbitraries = new WeakMap<ZodMiniType, fc.Arbitrary<unknown>>();

/** Values near `schema`: mostly its shape with some fields wrong, missing, extra or odd. */
function near(schema: ZodMiniType, depth = 0): fc.Arbitrary<unknown> {
  const cached = arbitraries.get(schema);
  if (cached) return cached;
  const { def, values } = defOf(schema);
  let shaped: fc.Arbitrary<unknown> | undefined;
  switch (def.type) {
    case 'string':
      shaped = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a@b.co', 'not an email', '😀', ''));
      break;
    case 'number':
      shaped = fc.oneof(fc.integer({ min: -5, max: 600 }), fc.double({ noNaN: false }));
      break;
    case 'boolean':
      shaped = fc.boolean();
      break;
    case 'enum':
    case 'literal':
      shaped = fc.constantFrom(...values!);
      break;
    case 'optional':
    case 'nullable':
      shaped = fc.oneof(fc.constant(def.type === 'optional' ? undefined : null), near(def.innerType!, depth));
      break;
    case 'union':
      shaped = fc.oneof(...def.options!.map((option) => near(option, depth)));
      break;
    case 'array':
      shaped = depth > 3 ? fc.constant([]) : fc.array(near(def.element!, depth + 1), { maxLength: 3 });
      break;
    case 'object': {
      if (depth > 3) {
        shaped = fc.constant(samplePayload(schema));
        break;
      }
      const fields = Object.entries(def.shape!).map(([key, field]) =>
        fc.oneof(
          { weight: 6, arbitrary: near(field, depth + 1).map((value) => [key, value] as const) },
          { weight: 1, arbitrary: fc.constant(undefined) }, // key absent
          { weight: 1, arbitrary: junk.map((value) => [key, value] as const) },
        ),
      );
      const extra = fc.dictionary(fc.constantFrom('extra', 'note', 'toString', 'valueOf'), junk, { maxKeys: 2, noNullPrototype: true });
      shaped = fc.tuple(fc.tuple(...fields), extra).map(([entries, more]) => ({
        ...more,
        ...Object.fromEntries(entries.filter((entry) => entry !== undefined)),
      }));
      break;
    }
    default:
      shaped = fc.oneof(junk, fc.constant(samplePayload(schema)));
  }
  const arbitrary = fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: junk });
  arbitraries.set(schema, arbitrary);
  return arbitrary;
}

const schemas = namespaces.flatMap((spec) =>
  Object.entries(spec.events).flatMap(([event, entry]) => [
    { label: `${spec.name} ${event}`, schema: entry.payload },
    ...(entry.ack ? [{ label: `${spec.name} ${event} (ack)`, schema: entry.ack }] : []),
    // What a server event requires (checkIncoming tests it with its guard first, too).
    ...(entry.direction !== 'emit' && !entry.reserved
      ? [{ label: `${spec.name} ${event} (requires)`, schema: requiredSchemaOf(entry) }]
      : []),
  ]),
);

/** How many times `new Function` runs while `build` does: the guards' code generation, if any. */
export function countGeneratedFunctions(build: () => void): number {
  const original = globalThis.Function;
  let count = 0;
  globalThis.Function = new Proxy(original, {
    construct(target, args) {
      count++;
      return Reflect.construct(target, args);
    },
  });
  try {
    build();
  } finally {
    globalThis.Function = original;
  }
  return count;
}

export function guardSuite(): void {
  test('every payload and ack schema of the contract has a guard, and it accepts the contract sample', () => {
    const missing = schemas.filter(({ schema }) => !guardOf(schema)).map(({ label }) => label);
    expect(missing).toEqual([]);
    const rejected = schemas.filter(({ schema }) => !guardOf(schema)!(samplePayload(schema))).map(({ label }) => label);
    expect(rejected).toEqual([]);
    expect(schemas.length).toBeGreaterThan(350);
  });

  test('the guard agrees with zod on values near every schema, and accepts only what zod returns unchanged', () => {
    let accepted = 0;
    let refused = 0;
    for (const { label, schema } of schemas) {
      const guard = guardOf(schema)!;
      fc.assert(
        fc.property(near(schema), (value) => {
          const parsed = schema.safeParse(value);
          expect(guard(value), label).toBe(parsed.success);
          if (parsed.success) expect(parsed.data, label).toStrictEqual(value);
          if (parsed.success) accepted++;
          else refused++;
        }),
        { numRuns: 120, seed: 7 },
      );
    }
    // The generator must exercise both answers broadly, or the agreement says little.
    expect(accepted).toBeGreaterThan(5_000);
    expect(refused).toBeGreaterThan(5_000);
  });

  test('values zod would change are left to zod: class instances, null-prototype objects, sparse arrays', () => {
    const schema = namespaces.find((spec) => spec.name === '/chat')!.events.message_history!.payload;
    const sample = samplePayload(schema) as { messages: unknown[] };
    const cases = [
      { ...sample, messages: new Array(2) }, // holes: zod reads them as undefined and refuses them
      { ...sample, messages: [{ ...(sample.messages[0] as object), user: new Date(0) }] }, // zod copies it into a plain {}
      Object.assign(Object.create(null) as object, sample),
      Object.assign(new (class Payload {})(), sample),
    ];
    expect(cases.map((value) => schema.safeParse(value).success)).toEqual([false, true, true, true]);
    expect(cases.map((value) => guardOf(schema)!(value))).toEqual([false, false, false, false]);
  });

  test('an own __proto__ key is left to zod (which drops it), and zod still accepts the payload', () => {
    const schema = namespaces.find((spec) => spec.name === '/chat')!.events.new_message!.payload;
    const value = { ...(samplePayload(schema) as object), ...JSON.parse('{"__proto__": {"polluted": true}}') };
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(guardOf(schema)!(value)).toBe(false);
    const parsed = schema.safeParse(value);
    expect(parsed.success).toBe(true);
    expect(Object.hasOwn(parsed.data as object, '__proto__')).toBe(false);
  });
}

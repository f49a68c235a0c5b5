import { globalConfig, type $ZodType } from 'zod/v4/core';

/**
 * A predicate that answers `true` only when zod would accept the value and give it back unchanged.
 * `false` means "not sure": the caller then runs zod's `safeParse`, which decides and explains.
 */
export type Guard = (value: unknown) => boolean;

/** The parts of zod's internals (`schema._zod`, documented for library authors) a guard reads. */
interface Schema {
  _zod: {
    def: {
      type: string;
      checks?: readonly Check[];
      innerType?: Schema;
      options?: readonly Schema[];
      element?: Schema;
      shape?: Record<string, Schema>;
      catchall?: Schema;
      coerce?: boolean;
    };
    traits: Set<string>;
    values?: Set<unknown>;
    optin?: string;
    optout?: string;
  };
}
interface Check {
  _zod: {
    def: { check: string; when?: (payload: CheckPayload) => boolean };
    check(payload: CheckPayload): unknown;
  };
}
interface CheckPayload {
  value: unknown;
  issues: unknown[];
}

const compiled = new WeakMap<object, Guard | null>();

/**
 * The guard of `schema`, generated on first use and cached; `null` when the schema uses a kind the
 * guard does not mirror (transforms, defaults, stripping objects...) or when zod may not generate
 * code (`z.config({ jitless: true })`, a strict CSP): zod's `safeParse` then does all the work.
 *
 * Why: `safeParse` copies every object and array it walks and allocates per field; for a chat
 * message that was most of the SDK's cost per received event. Well-formed payloads are the common
 * case, so they take this allocation-free test, and only doubtful ones pay for zod. The test is
 * straight-line code with constant keys, so every read has its own inline cache (payloads decoded by
 * `JSON.parse` share hidden classes); only contract keys, quoted by `JSON.stringify`, enter the
 * source. zod's own checks (lengths, formats, refinements) are called as they are, not re-written.
 */
export function guardOf(schema: $ZodType): Guard | null {
  return guard(schema as unknown as Schema);
}

function guard(schema: Schema): Guard | null {
  let result = compiled.get(schema);
  if (result === undefined) {
    const refs: unknown[] = [];
    const body = jitAllowed() ? functionBody(schema, (value) => `k${refs.push(value) - 1}`) : undefined;
    const source = `${refs.map((_, i) => `const k${i} = refs[${i}];`).join('\n')}\n${body}`;
    type Compiled = (refs: unknown[], plain: typeof isPlainObject) => Guard;
    // The compiled guard (zod's own technique), only where jitAllowed() says eval is allowed.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    result = body ? (new Function('refs', 'isPlainObject', source) as Compiled)(refs, isPlainObject) : null;
    compiled.set(schema, result);
  }
  return result;
}

/**
 * zod's own rule (`util.allowsEval`, repeated here: `util` is a namespace object, and reading it
 * keeps all of zod's utilities in esbuild bundles): no `new Function` under
 * `z.config({ jitless: true })` (then not even probed: a strict CSP reports the attempt), on
 * Cloudflare Workers, or where a CSP forbids it. Probed once, on the first guard built.
 */
function jitAllowed(): boolean {
  return !globalConfig.jitless && (evalAllowed ??= probeEval());
}
let evalAllowed: boolean | undefined;
function probeEval(): boolean {
  if (typeof navigator !== 'undefined' && navigator?.userAgent?.includes('Cloudflare')) return false;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the probe: is eval allowed here?
    new Function('');
    return true;
  } catch {
    return false;
  }
}

type Ref = (value: unknown) => string;

/** `return function (x) {...}` testing `x` against `schema`, or undefined when it cannot. */
function functionBody(schema: Schema, ref: Ref): string | undefined {
  const { def } = schema._zod;
  if (def.type === 'object') {
    const test = objectTest(def.shape!, def.catchall, ref);
    const checks = checksGuard(schema);
    if (!test || checks === null) return undefined;
    return `return function (x) {\n  const v = x;\n  ${test}\n  return ${checks ? `${ref(checks)}(v)` : 'true'};\n};`;
  }
  const test = inlineTest(schema, ref);
  return test && `return function (x) { return ${test}; };`;
}

/**
 * zod copies any non-array object into a plain one: only plain objects (as `JSON.parse` makes them)
 * come out unchanged. Referenced by the generated code.
 */
function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Every index, holes included (`every` skips holes; zod reads them as `undefined`). */
function everyItem(element: Guard): Guard {
  return (value) => {
    if (!Array.isArray(value)) return false;
    for (let i = 0; i < value.length; i++) if (!element(value[i])) return false;
    return true;
  };
}

/**
 * Field after field: each key read once (`in` only tells an absent key from a present `undefined`).
 * Objects with an own `__proto__` key are left to zod, which drops that key from its output.
 */
function objectTest(shape: Record<string, Schema>, catchall: Schema | undefined, ref: Ref): string | undefined {
  // Only objects that keep unknown keys as they are: stripping or rejecting them changes the output.
  if (catchall?._zod.def.type !== 'unknown') return undefined;
  const lines = ['if (!isPlainObject(v) || Object.hasOwn(v, "__proto__")) return false;'];
  for (const [key, field] of Object.entries(shape)) {
    const test = inlineTest(field, ref);
    if (!test || key === '__proto__') return undefined;
    const name = JSON.stringify(key);
    // zod lets a key be absent only when the field is optional both ways (`.optional()`, `unknown`).
    const omittable = field._zod.optin === 'optional' && field._zod.optout === 'optional';
    lines.push(`x = v[${name}]; if (!(x === undefined ? ${omittable ? 'true' : `${name} in v && ${test}`} : ${test})) return false;`);
  }
  return lines.join('\n  ');
}

/** A JavaScript expression testing `x` against `schema`, or undefined when it cannot. */
function inlineTest(schema: Schema, ref: Ref): string | undefined {
  const { def, values } = schema._zod;
  const checks = checksGuard(schema);
  if (def.coerce || checks === null) return undefined;
  let test: string | undefined;
  switch (def.type) {
    case 'unknown':
    case 'any':
    case 'custom': // its test is its check
      test = 'true';
      break;
    case 'string':
      test = 'typeof x === "string"';
      break;
    case 'number': // zod rejects NaN and ±Infinity
      test = 'Number.isFinite(x)';
      break;
    case 'boolean':
      test = 'typeof x === "boolean"';
      break;
    case 'null':
      test = 'x === null';
      break;
    case 'enum':
    case 'literal':
      test = `${ref(values)}.has(x)`;
      break;
    case 'optional':
    case 'nullable': {
      const inner = inlineTest(def.innerType!, ref);
      test = inner && `(x === ${def.type === 'optional' ? 'undefined' : 'null'} || ${inner})`;
      break;
    }
    case 'union': {
      const options = def.options!.map((option) => inlineTest(option, ref));
      if (!options.includes(undefined)) test = `(${options.join(' || ')})`;
      break;
    }
    case 'array': {
      const element = guard(def.element!);
      test = element ? `${ref(everyItem(element))}(x)` : undefined;
      break;
    }
    case 'object': {
      // Its own function (which runs its checks): its field reads get their own inline caches.
      const nested = guard(schema);
      return nested ? `${ref(nested)}(x)` : undefined;
    }
  }
  return test && checks ? `(${test} && ${ref(checks)}(x))` : test;
}

/**
 * The checks zod runs after a schema's type test (the schema itself first when it is a check, as
 * `z.email()` or `z.custom()`): `undefined` when there are none, `null` when one changes the value.
 */
function checksGuard(schema: Schema): Guard | null | undefined {
  const own = schema._zod.traits.has('$ZodCheck') ? [schema as unknown as Check] : [];
  const checks = [...own, ...(schema._zod.def.checks ?? [])];
  if (checks.length === 0) return undefined;
  // `overwrite` (trim, toLowerCase...) rewrites the value: the output would differ from the input.
  if (checks.some((check) => check._zod.def.check === 'overwrite')) return null;
  const runs = checks.map(checkRun);
  if (runs.length === 1) return runs[0]!;
  return (value) => {
    // An index loop: `every` with a closure over `value` would allocate on each call of a hot path.
    for (let i = 0; i < runs.length; i++) if (!runs[i]!(value)) return false;
    return true;
  };
}

/**
 * One payload for zod's built-in checks, which never re-enter a guard (a refinement may, so it gets
 * its own): no allocation per checked field. `issues` is replaced only after a failure.
 */
const scratch: CheckPayload = { value: undefined, issues: [] };

/** Runs one zod check as zod does (its `when` first); its functions are read once, here. */
function checkRun(check: Check): Guard {
  // zod's check functions are closures (no `this`): read once, called detached, as zod does.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { def, check: run } = check._zod;
  const { when } = def;
  const custom = def.check === 'custom';
  return (value) => {
    const payload = custom ? { value, issues: [] } : scratch;
    payload.value = value;
    // An async refinement answers with a promise: leave it to zod.
    const passed = (when !== undefined && !when(payload)) || (!(run(payload) instanceof Promise) && payload.issues.length === 0);
    if (!custom) {
      scratch.value = undefined;
      if (!passed) scratch.issues = [];
    }
    return passed;
  };
}

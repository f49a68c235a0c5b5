import * as z from 'zod/mini';
import type { EventSpec } from './define.js';

/**
 * The receive side's two helpers of `checkIncoming` (index.ts): the schema of the part of a payload
 * the SDK depends on (an event's `requires`), and the payload without the fields that broke the
 * contract. Both only run for payloads the guard and zod did not accept as they are.
 */

interface Def {
  type: string;
  shape?: Record<string, z.ZodMiniType>;
  element?: z.ZodMiniType;
  innerType?: z.ZodMiniType;
}
const defOf = (schema: z.ZodMiniType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** A node of the `requires` paths: the whole field (`leaf`), some of its keys, or its elements (`each`). */
interface PathNode {
  leaf: boolean;
  keys: Map<string, PathNode>;
  each?: PathNode;
}
const node = (): PathNode => ({ leaf: false, keys: new Map() });

const cores = new WeakMap<EventSpec, z.ZodMiniType>();

/**
 * The schema of the part of `entry`'s payload the SDK cannot do without: `requires` as given when it
 * is a schema, built from the payload schema's own field schemas when it is a list of paths (so a
 * value that passes it passes those fields of the payload schema), the payload's top-level type when
 * the event declares nothing. Built on first use and cached. Throws when a path names no field of
 * the schema (a contract test builds every event's).
 */
export function requiredSchemaOf(entry: EventSpec): z.ZodMiniType {
  let core = cores.get(entry);
  if (!core) {
    const { requires } = entry;
    if (requires !== undefined && !Array.isArray(requires)) core = requires as z.ZodMiniType;
    else {
      const root = node();
      for (const path of (requires ?? []) as readonly string[]) addPath(root, path);
      core = build(entry.payload, root, '');
    }
    cores.set(entry, core);
  }
  return core;
}

/** `a.b[].c` → a, b, [], c. */
function addPath(root: PathNode, path: string): void {
  let at = root;
  for (const token of path.split('.')) {
    const match = /^([^[\]]+)(\[\])?$/.exec(token);
    if (!match) throw new Error(`requires: bad path "${path}"`);
    const key = match[1]!;
    let next = at.keys.get(key);
    if (!next) at.keys.set(key, (next = node()));
    at = next;
    if (match[2]) at = at.each ??= node();
  }
  // `a[]` at the end asks for the elements' type only; any other path for its field's whole schema.
  if (!path.endsWith('[]')) at.leaf = true;
}

function unwrap(schema: z.ZodMiniType): z.ZodMiniType {
  let inner = schema;
  for (let def = defOf(inner); def.type === 'optional' || def.type === 'nullable'; def = defOf(inner)) inner = def.innerType!;
  return inner;
}

function build(schema: z.ZodMiniType, at: PathNode, where: string): z.ZodMiniType {
  // A path ends here: the field's own schema, as the payload schema has it.
  if (at.leaf) return schema;
  // On the way to a required part, the field must be there: its optional/nullable wrappers go.
  const inner = where === '' ? schema : unwrap(schema);
  const def = defOf(inner);
  if (at.each) {
    if (def.type !== 'array') throw new Error(`requires: ${where || '(payload)'} is not an array`);
    return z.array(build(def.element!, at.each, `${where}[]`));
  }
  if (at.keys.size > 0) {
    if (def.type !== 'object') throw new Error(`requires: ${where || '(payload)'} is not an object`);
    const shape: Record<string, z.ZodMiniType> = {};
    for (const [key, child] of at.keys) {
      const field = def.shape![key];
      if (!field) throw new Error(`requires: no field "${where ? `${where}.` : ''}${key}" in the payload schema`);
      shape[key] = build(field, child, where ? `${where}.${key}` : key);
    }
    return z.looseObject(shape);
  }
  // Nothing inside is required: only the type (the payload's, or an element's).
  if (def.type === 'object') return z.looseObject({});
  if (def.type === 'array') return z.array(z.unknown());
  return inner;
}

type PruneNode = Map<PropertyKey, PruneNode | null>;

/**
 * `value` without what is at `paths` (zod issue paths): the objects and arrays on the way are copied,
 * the rest is shared. An array loses the elements named; an empty path (the payload itself) is kept.
 * `__proto__` keys are left out of the copies, as zod leaves them out of its output.
 */
export function withoutPaths(value: unknown, paths: readonly (readonly PropertyKey[])[]): unknown {
  const root: PruneNode = new Map();
  let any = false;
  for (const path of paths) {
    if (path.length === 0) continue;
    any = true;
    let at = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      if (i === path.length - 1) at.set(key, null);
      else {
        let next = at.get(key);
        if (next === null) break; // already removed as a whole
        if (!next) at.set(key, (next = new Map()));
        at = next;
      }
    }
  }
  return any ? prune(value, root) : value;
}

function prune(value: unknown, at: PruneNode): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const child = at.get(i);
      if (child === null) continue;
      out.push(child ? prune(value[i], child) : value[i]);
    }
    return out;
  }
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') continue;
    const child = at.get(key);
    if (child === null) continue;
    const field = (value as Record<string, unknown>)[key];
    out[key] = child ? prune(field, child) : field;
  }
  return out;
}

import type { ZodMiniType } from 'zod/mini';
import type * as core from 'zod/v4/core';

/** What `samplePayload` needs to know of a zod 4 schema (its internal definition). */
interface SchemaDef {
  type: string;
  shape?: Record<string, ZodMiniType>;
  options?: ZodMiniType[];
  innerType?: ZodMiniType;
  element?: ZodMiniType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  in?: ZodMiniType;
  left?: ZodMiniType;
  right?: ZodMiniType;
}

const defOf = (schema: core.$ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
const formatOf = (schema: core.$ZodType): string | undefined => (defOf(schema) as SchemaDef & { format?: string }).format;

/**
 * A valid example of a payload schema, with every optional field filled in. Used by the docs
 * (examples), the test server's fault injection (valid base to corrupt) and the contract tests.
 */
export function samplePayload(schema: core.$ZodType, fieldName = 'value'): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape ?? {})) out[key] = samplePayload(field, key);
      return out;
    }
    case 'string':
      return formatOf(schema) === 'email' ? `${fieldName.toLowerCase()}@example.org` : `${fieldName}-1`;
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'enum':
      return Object.values(def.entries ?? {})[0];
    case 'literal':
      return def.values?.[0];
    case 'array':
      return def.element ? [samplePayload(def.element, fieldName)] : [];
    case 'record':
      return { key: 'value' };
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'nonoptional':
      return def.innerType ? samplePayload(def.innerType, fieldName) : null;
    case 'union':
      return def.options?.[0] ? samplePayload(def.options[0], fieldName) : null;
    case 'intersection':
      return Object.assign({}, samplePayload(def.left!, fieldName), samplePayload(def.right!, fieldName));
    case 'pipe':
      return def.in ? samplePayload(def.in, fieldName) : null;
    default:
      // unknown / any: anything goes; a small object reads best in docs.
      return { note: fieldName };
  }
}

/** The top-level fields of an object payload schema, with whether each is required. */
export function payloadFields(schema: core.$ZodType): { name: string; required: boolean; schema: ZodMiniType }[] {
  const def = defOf(schema);
  if (def.type !== 'object') return [];
  return Object.entries(def.shape ?? {}).map(([name, field]) => ({
    name,
    required: !['optional', 'default'].includes(defOf(field).type),
    schema: field,
  }));
}

/**
 * zod → JSON Schema for the docs, and a short type notation for tables read by people.
 */
import { z } from 'zod';

/** The JSON Schema keywords this module reads (zod's output is a subset of draft-07). */
export interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema | JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  format?: string;
  [keyword: string]: unknown;
}

/**
 * A payload schema as JSON Schema draft-07, the dialect AsyncAPI 3.0 schema objects extend.
 * `io: 'input'`: what a sender may put on the wire (defaults may be omitted); `unrepresentable:
 * 'any'`: refinements and transforms become "anything" instead of throwing. `$schema` is dropped,
 * since the schema is embedded in a larger document.
 */
export function toJsonSchema(schema: z.core.$ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'draft-07',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return json;
}

const MAX_NESTED_KEYS = 5;

/** `a | b` needs brackets before `[]`. */
const group = (type: string) => (type.includes(' | ') ? `(${type})` : type);
const unique = (types: string[]) => [...new Set(types)];
const literal = (value: unknown) => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

/**
 * A TypeScript-like notation of a JSON Schema, short enough for a table cell:
 * `string | integer`, `'PATIENT' | 'PRACTITIONER'`, `object[]`, `{ id, content, userId?, … }`.
 */
export function describeType(schema: JsonSchema): string {
  if (schema.const !== undefined) return literal(schema.const);
  if (schema.enum) return schema.enum.map(literal).join(' | ');
  const members = schema.anyOf ?? schema.oneOf;
  if (members) return unique(members.map(describeType)).join(' | ');
  if (Array.isArray(schema.type)) {
    return unique(schema.type.map((type) => describeType({ ...schema, type }))).join(' | ');
  }
  switch (schema.type) {
    case 'string':
      return schema.format ? `string (${schema.format})` : 'string';
    case 'integer':
    case 'number':
    case 'boolean':
    case 'null':
      return schema.type;
    case 'array': {
      const items = Array.isArray(schema.items) ? schema.items[0] : schema.items;
      return `${items ? group(describeType(items)) : 'any'}[]`;
    }
    case 'object': {
      const keys = Object.keys(schema.properties ?? {});
      if (keys.length === 0) return 'object';
      const required = new Set(schema.required ?? []);
      const shown = keys.slice(0, MAX_NESTED_KEYS).map((key) => (required.has(key) ? key : `${key}?`));
      return `{ ${shown.join(', ')}${keys.length > MAX_NESTED_KEYS ? ', …' : ''} }`;
    }
    default:
      return 'any';
  }
}

/** One top-level field of an object schema. */
export interface FieldDoc {
  name: string;
  required: boolean;
  type: string;
}

/** The top-level fields of an object payload, or `undefined` when the payload is not an object with known fields. */
export function describeFields(schema: JsonSchema): FieldDoc[] | undefined {
  if (schema.type !== 'object' || !schema.properties || Object.keys(schema.properties).length === 0) return undefined;
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, field]) => ({
    name,
    required: required.has(name),
    type: describeType(field),
  }));
}

import fc from 'fast-check';

/* Reading the served OpenAPI document: its operations, and values that fit its JSON Schemas. */

export type Json = Record<string, any>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Json;
}

export interface Operation {
  method: string;
  /** The path as the document writes it, e.g. `/api/v1/records/company/{id}`. */
  template: string;
  operationId: string;
  parameters: Parameter[];
  /** The JSON Schema of an `application/json` request body, when the operation takes one. */
  body?: Json;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function operationsOf(document: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const byKey = new Map<string, Parameter>();
      for (const parameter of [...(item.parameters ?? []), ...(operation.parameters ?? [])] as Json[]) {
        byKey.set(`${parameter.in}:${parameter.name}`, { name: parameter.name, in: parameter.in, required: Boolean(parameter.required), schema: parameter.schema ?? {} });
      }
      operations.push({
        method: method.toUpperCase(),
        template,
        operationId: operation.operationId ?? `${method} ${template}`,
        parameters: [...byKey.values()],
        body: operation.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return operations;
}

/**
 * Resolves `$ref`s: `#/components/…` against the document, `#/$defs/…` against the nearest
 * enclosing `$defs` (zod puts recursive schemas, such as a json field's, there).
 */
export class SchemaResolver {
  constructor(private readonly document: Json) {}

  resolve(schema: Json, scopes: Json[]): { schema: Json; scopes: Json[] } {
    let current = schema;
    let currentScopes = current.$defs ? [...scopes, current.$defs] : scopes;
    for (let hops = 0; current.$ref && hops < 20; hops++) {
      const ref: string = current.$ref;
      let target: Json | undefined;
      if (ref.startsWith('#/$defs/')) {
        const name = ref.slice('#/$defs/'.length);
        target = [...currentScopes].reverse().find((scope) => scope[name])?.[name];
      } else if (ref.startsWith('#/')) {
        target = ref
          .slice(2)
          .split('/')
          .reduce<any>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], this.document);
      }
      if (!target) return { schema: {}, scopes: currentScopes };
      const { $ref: _, ...siblings } = current;
      current = { ...target, ...siblings };
      if (target.$defs) currentScopes = [...currentScopes, target.$defs];
    }
    return { schema: current, scopes: currentScopes };
  }

  /** Every property name an object schema (through refs, allOf, anyOf) may have. */
  propertyNames(schema: Json, scopes: Json[] = [], depth = 0): string[] {
    if (depth > 5) return [];
    const { schema: resolved, scopes: inner } = this.resolve(schema, scopes);
    const names = new Set(Object.keys(resolved.properties ?? {}));
    for (const part of [...(resolved.allOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.oneOf ?? [])]) {
      for (const name of this.propertyNames(part, inner, depth + 1)) names.add(name);
    }
    return [...names];
  }

  /** Values that the schema describes (not always ones the server takes: formats and rules go further). */
  valid(schema: Json, scopes: Json[] = [], depth = 0): fc.Arbitrary<unknown> {
    const { schema: s, scopes: inner } = this.resolve(schema, scopes);
    if (depth > 6) return fc.constant(null);
    if ('const' in s) return fc.constant(s.const);
    if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...s.enum);
    if (Array.isArray(s.allOf) && s.allOf.length > 0) return this.valid(this.mergeAllOf(s, inner), inner, depth + 1);
    const alternatives = (s.anyOf ?? s.oneOf) as Json[] | undefined;
    if (Array.isArray(alternatives) && alternatives.length > 0) {
      // Prefer the non-null branch: a field set to null is valid but tells little.
      const branches = alternatives.map((branch) => ({ arbitrary: this.valid(branch, inner, depth + 1), weight: branch.type === 'null' ? 1 : 4 }));
      return fc.oneof(...branches);
    }
    if (Array.isArray(s.type)) return fc.oneof(...s.type.map((type: string) => this.valid({ ...s, type }, inner, depth + 1)));
    switch (s.type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer': {
        const min = Math.max(Number(s.minimum ?? -1000), -1_000_000);
        const max = Math.min(Number(s.maximum ?? 1000), 1_000_000);
        return fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) });
      }
      case 'number': {
        const min = Math.max(Number(s.minimum ?? -1e6), -1e6);
        const max = Math.min(Number(s.maximum ?? 1e6), 1e6);
        return fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
      }
      case 'string':
        return this.validString(s);
      case 'array': {
        const items = s.items ? this.valid(s.items, inner, depth + 1) : fc.jsonValue({ maxDepth: 1 });
        const minLength = Number(s.minItems ?? 0);
        return fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min(Number(s.maxItems ?? 3), 3)) });
      }
      case 'object':
        return this.validObject(s, inner, depth);
      default:
        if (s.properties) return this.validObject(s, inner, depth);
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private mergeAllOf(schema: Json, scopes: Json[]): Json {
    const merged: Json = { type: 'object', properties: { ...(schema.properties ?? {}) }, required: [...(schema.required ?? [])] };
    for (const part of schema.allOf as Json[]) {
      const { schema: resolved } = this.resolve(part, scopes);
      Object.assign(merged.properties, resolved.properties ?? {});
      merged.required.push(...(resolved.required ?? []));
    }
    return merged;
  }

  private validObject(s: Json, scopes: Json[], depth: number): fc.Arbitrary<unknown> {
    const properties = Object.entries<Json>(s.properties ?? {});
    if (properties.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
    const required = new Set<string>(s.required ?? []);
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, property] of properties) model[name] = this.valid(property, scopes, depth + 1);
    return fc.record(model, { requiredKeys: [...required].filter((name) => name in model) });
  }

  private validString(s: Json): fc.Arbitrary<string> {
    const maxLength = Math.min(Number(s.maxLength ?? 40), 40);
    const minLength = Math.min(Number(s.minLength ?? 0), maxLength);
    switch (s.format) {
      case 'uuid':
        return fc.uuid();
      case 'date':
        return fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
      case 'date-time':
        return fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
      case 'email':
        return fc.emailAddress();
      case 'uri':
      case 'url':
        return fc.webUrl();
      default:
        break;
    }
    if (typeof s.pattern === 'string') {
      try {
        const pattern = new RegExp(s.pattern);
        return fc.stringMatching(pattern).filter((text) => text.length >= minLength && text.length <= Math.max(Number(s.maxLength ?? 200), minLength));
      } catch {
        /* a pattern JavaScript does not read: plain strings */
      }
    }
    return fc.string({ minLength: Math.max(minLength, 1), maxLength: Math.max(maxLength, 1) });
  }
}

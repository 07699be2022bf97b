import { problems } from '../problems';
import type { FieldDefinition, ObjectDefinition } from './types';

/** The effective metadata of one workspace: code declarations, its custom objects and fields, its overrides. */
export class WorkspaceMetadata {
  readonly objects: ReadonlyMap<string, ObjectDefinition>;
  private readonly fieldMaps = new Map<string, Map<string, FieldDefinition>>();
  /** Per-object derived values (compiled schemas…), computed once per metadata version. */
  private readonly derived = new Map<string, unknown>();

  constructor(
    readonly workspaceId: string,
    objects: ObjectDefinition[],
  ) {
    this.objects = new Map(objects.map((object) => [object.name, object]));
    for (const object of objects) {
      this.fieldMaps.set(object.name, new Map(object.fields.map((field) => [field.name, field])));
    }
  }

  object(name: string): ObjectDefinition {
    const object = this.objects.get(name);
    if (!object) throw problems.notFound(`There is no object "${name}" in this workspace`);
    return object;
  }

  findObject(name: string): ObjectDefinition | undefined {
    return this.objects.get(name);
  }

  field(object: ObjectDefinition, name: string): FieldDefinition | undefined {
    return this.fieldMaps.get(object.name)?.get(name);
  }

  /** Memoizes a value derived from one object's definition (zod schemas, SQL fragments). */
  memo<T>(object: ObjectDefinition, purpose: string, compute: () => T): T {
    const key = `${object.name}\u0000${purpose}`;
    if (!this.derived.has(key)) this.derived.set(key, compute());
    return this.derived.get(key) as T;
  }
}

import { eq } from 'drizzle-orm';
import type { Executor } from '@rapport/db';
import { fieldDefinition, metadataOverride, objectDefinition } from '../schema/metadata';
import { type ObjectDeclaration, objectFromDeclaration, systemFields } from './declare';
import type { DeclaredField } from './declared-fields';
import type { FieldDefinition, ObjectDefinition, ObjectLabels, ObjectRule, Owner } from './types';
import { WorkspaceMetadata } from './workspace-metadata';

/** What a workspace may change on an entity declared in code. */
export interface OverridePatch {
  labels?: unknown;
  description?: unknown;
  icon?: string;
  labelField?: string;
  titleFields?: string[];
  required?: boolean;
  unique?: boolean;
  searchable?: boolean;
  personalData?: boolean;
  sensitive?: boolean;
  default?: unknown;
  rules?: unknown[];
  options?: unknown[];
}

export interface StoredObject {
  labels: ObjectLabels;
  icon: string;
  labelField: string;
  /** Absent on objects made before title fields existed: `[labelField]`. */
  titleFields?: string[];
  rules: ObjectRule[];
}

export type StoredField = Omit<FieldDefinition, 'key' | 'name' | 'owner' | 'storage'>;

/**
 * Builds and caches each workspace's metadata. Objects declared in code come from the
 * declarations; what users create at run time comes from the metadata tables.
 */
export class MetadataRegistry {
  private readonly cache = new Map<string, Promise<WorkspaceMetadata>>();

  constructor(
    private readonly declarations: () => readonly ObjectDeclaration[],
    /** Objects plugins declare (stored in custom_record), present while their plugin is enabled. */
    private readonly pluginObjects: () => readonly ObjectDefinition[] = () => [],
    /** Fields plugins add to objects they do not own (stored in `custom`), present while their plugin is enabled. */
    private readonly pluginFields: () => readonly DeclaredField[] = () => [],
  ) {}

  /**
   * Every object declared in code or by an enabled plugin, with the fields enabled plugins add:
   * fresh copies (building metadata adds reverse fields to them).
   */
  private declared(): ObjectDefinition[] {
    const objects = [...this.declarations().map((declaration) => objectFromDeclaration(declaration)), ...this.pluginObjects().map((object) => ({ ...object, fields: [...object.fields] }))];
    const byName = new Map(objects.map((object) => [object.name, object]));
    for (const { object, field } of this.pluginFields()) byName.get(object)?.fields.push(field);
    return objects;
  }

  forWorkspace(executor: Executor, workspaceId: string): Promise<WorkspaceMetadata> {
    let cached = this.cache.get(workspaceId);
    if (!cached) {
      cached = this.load(executor, workspaceId);
      this.cache.set(workspaceId, cached);
      cached.catch(() => this.cache.delete(workspaceId));
    }
    return cached;
  }

  /** Reads the metadata as the given transaction sees it, bypassing the cache (for metadata changes). */
  loadFresh(executor: Executor, workspaceId: string): Promise<WorkspaceMetadata> {
    return this.load(executor, workspaceId);
  }

  /** The objects declared in code alone, as every workspace starts (for anonymous API documentation). */
  declaredOnly(): WorkspaceMetadata {
    const objects = this.declared();
    addReverseFields(objects, new Map(objects.map((object) => [object.name, object])));
    return new WorkspaceMetadata('00000000-0000-0000-0000-000000000000', objects);
  }

  invalidate(workspaceId?: string): void {
    if (workspaceId) this.cache.delete(workspaceId);
    else this.cache.clear();
  }

  private async load(executor: Executor, workspaceId: string): Promise<WorkspaceMetadata> {
    const [objectRows, fieldRows, overrideRows] = await Promise.all([
      executor.select().from(objectDefinition).where(eq(objectDefinition.workspaceId, workspaceId)),
      executor.select().from(fieldDefinition).where(eq(fieldDefinition.workspaceId, workspaceId)),
      executor.select().from(metadataOverride).where(eq(metadataOverride.workspaceId, workspaceId)),
    ]);
    const overrides = new Map(overrideRows.map((row) => [row.entityKey, row.patch as OverridePatch]));

    const objects: ObjectDefinition[] = this.declared().map((object) => applyObjectOverride(object, overrides));
    for (const row of objectRows) {
      const stored = row.definition as unknown as StoredObject;
      objects.push({
        key: row.key,
        name: row.name,
        labels: stored.labels,
        icon: stored.icon,
        labelField: stored.labelField,
        titleFields: stored.titleFields ?? [stored.labelField],
        owner: row.owner as Owner,
        storage: { kind: 'customRecord' },
        fields: systemFields(row.key, row.owner as Owner),
        rules: stored.rules ?? [],
      });
    }
    const byName = new Map(objects.map((object) => [object.name, object]));
    for (const row of [...fieldRows].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))) {
      const object = byName.get(row.object);
      if (!object) continue;
      const stored = row.definition as unknown as StoredField;
      object.fields.push({
        ...stored,
        key: row.key,
        name: row.name,
        owner: row.owner as Owner,
        storage: stored.config.relation?.kind === 'manyToMany' ? { kind: 'link' } : { kind: 'custom' },
      });
    }
    addReverseFields(objects, byName);
    return new WorkspaceMetadata(workspaceId, objects);
  }
}

function applyObjectOverride(object: ObjectDefinition, overrides: Map<string, OverridePatch>): ObjectDefinition {
  const patch = overrides.get(object.key);
  const result: ObjectDefinition = {
    ...object,
    ...(patch?.labels ? { labels: patch.labels as ObjectLabels } : {}),
    ...(patch?.icon ? { icon: patch.icon } : {}),
    ...(patch?.labelField ? { labelField: patch.labelField } : {}),
    // A label field changed before title fields existed names records alone, as a PATCH of it does now.
    ...(patch?.titleFields ? { titleFields: patch.titleFields } : patch?.labelField && patch.labelField !== object.labelField ? { titleFields: [patch.labelField] } : {}),
    rules: [...object.rules, ...((patch?.rules as ObjectRule[] | undefined) ?? [])],
  };
  result.fields = object.fields.map((field) => {
    const fieldPatch = overrides.get(field.key);
    if (!fieldPatch) return field;
    return {
      ...field,
      ...(fieldPatch.labels ? { labels: fieldPatch.labels as FieldDefinition['labels'] } : {}),
      ...(fieldPatch.description !== undefined
        ? { description: (fieldPatch.description ?? undefined) as FieldDefinition['description'] }
        : {}),
      ...(fieldPatch.required !== undefined ? { required: fieldPatch.required || field.required } : {}),
      ...(fieldPatch.unique !== undefined ? { unique: fieldPatch.unique } : {}),
      ...(fieldPatch.searchable !== undefined ? { searchable: fieldPatch.searchable } : {}),
      ...(fieldPatch.personalData !== undefined ? { personalData: fieldPatch.personalData } : {}),
      ...(fieldPatch.sensitive !== undefined ? { sensitive: fieldPatch.sensitive } : {}),
      ...(fieldPatch.default !== undefined ? { default: fieldPatch.default } : {}),
      ...(fieldPatch.options ? { config: { ...field.config, options: fieldPatch.options as never } } : {}),
      rules: [...field.rules, ...((fieldPatch.rules as FieldDefinition['rules'] | undefined) ?? [])],
    };
  });
  return result;
}

/** Each relation with a `reverse` shows up on its target as a read-only list of the records pointing at it. */
function addReverseFields(objects: ObjectDefinition[], byName: Map<string, ObjectDefinition>): void {
  for (const object of objects) {
    for (const field of object.fields) {
      const relation = field.config.relation;
      if (!relation?.reverse || relation.kind === 'oneToMany') continue;
      const target = byName.get(relation.target);
      if (!target || target.fields.some((existing) => existing.name === relation.reverse!.name)) continue;
      target.fields.push({
        key: `${field.key}~reverse`,
        name: relation.reverse.name,
        type: 'relation',
        labels: relation.reverse.labels,
        required: false,
        unique: false,
        indexed: false,
        searchable: false,
        personalData: false,
        sensitive: false,
        readOnly: true,
        config: {
          relation: {
            kind: relation.kind === 'manyToMany' ? 'manyToMany' : 'oneToMany',
            target: object.name,
            inverseOf: field.name,
            attributes: relation.attributes,
          },
        },
        rules: [],
        owner: field.owner,
        storage: relation.kind === 'manyToMany' ? { kind: 'link' } : { kind: 'reverse' },
      });
    }
  }
}

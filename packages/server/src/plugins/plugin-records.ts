import { type Actor, type Core, problems } from '@rapport/core';
import type { Executor } from '@rapport/db';
import type { TransactionRecords } from '@rapport/sdk/server';
import type { PluginRecords } from '@rapport/sdk/server';

/** The SDK's records facade over the core's data-access layer, acting as `actor`. */
export function pluginRecords(core: Core, actor: Actor): PluginRecords {
  return {
    list: (object, options) => core.records.list(actor, object, options),
    pages: async function* (object, options = {}) {
      let cursor: string | undefined;
      do {
        const page = await core.records.list(actor, object, { ...options, cursor });
        yield page.data;
        cursor = page.pageInfo.hasMore ? (page.pageInfo.nextCursor ?? undefined) : undefined;
      } while (cursor);
    },
    get: async (object, id, options) => (await core.records.get(actor, object, id, options)).record,
    create: async (object, values) => (await core.records.create(actor, object, values)).record,
    update: async (object, id, values) => (await core.records.update(actor, object, id, values)).record,
    delete: (object, id) => core.records.delete(actor, object, id),
    batch: (object, input) => core.records.batch(actor, object, input),
    advance: async (object, id, field, at) => {
      const wanted = new Date(at);
      if (Number.isNaN(wanted.getTime())) throw problems.validation([{ field, code: 'invalid_date', message: 'must be a date and time' }]);
      for (let attempt = 1; ; attempt += 1) {
        const read = await core.records.get(actor, object, id, { fields: [field] }).catch((error: unknown) => {
          if ((error as { status?: number }).status === 404) return null;
          throw error;
        });
        const current = read?.record[field];
        if (!read || (typeof current === 'string' && new Date(current) >= wanted)) return false;
        try {
          await core.records.update(actor, object, id, { [field]: wanted.toISOString() }, { ifMatch: read.version });
          return true;
        } catch (error) {
          // Changed since it was read (another server moving it too): read it again and decide again.
          if ((error as { status?: number }).status !== 412 || attempt === 10) throw error;
        }
      }
    },
    describe: async (object) => {
      const visible = (await core.records.visibleMetadata(actor)).objects.get(object);
      if (!visible) throw problems.notFound(`There is no object "${object}"`);
      return {
        name: visible.name,
        labels: visible.labels,
        labelField: visible.labelField,
        titleFields: visible.titleFields,
        fields: visible.fields.map((field) => ({
          name: field.name,
          type: field.type,
          labels: field.labels,
          ...(field.required && field.default === undefined ? { required: true } : {}),
          ...(field.config.options ? { options: field.config.options.map(({ value, labels }) => ({ value, labels })) } : {}),
          ...(field.config.relation ? { relation: { kind: field.config.relation.kind, target: field.config.relation.target } } : {}),
        })),
      };
    },
    export: (object, options) => core.records.export(actor, object, options),
    transaction: (work) => core.records.transaction((tx) => work(transactionRecords(core, actor, tx), tx)),
    recordImport: (object, detail) => core.records.recordImport(actor, object, detail),
    merge: (object, input) => core.records.merge(actor, object, input),
    undoMerge: (mergeId) => core.records.undoMerge(actor, mergeId),
    merges: (object, recordId) => core.records.merges(actor, object, recordId),
    profile: (object, options) => core.records.profile(actor, object, options),
    reach: (object) => core.records.reach(actor, object),
    search: async (query, options = {}) => {
      const found = await core.records.search(actor, query, options);
      return { data: found.data.map((hit) => ({ object: hit.object, id: hit.id, label: hit.label, score: hit.score, matchedField: hit.matchedField })) };
    },
  };
}

/** The same facade bound to one transaction (a get is a list by id: everything goes through `tx`). */
function transactionRecords(core: Core, actor: Actor, tx: Executor): TransactionRecords {
  return {
    list: (object, options) => core.records.list(actor, object, options, { tx }),
    get: async (object, id, options) => {
      const [record] = (await core.records.list(actor, object, { ...options, filter: { field: 'id', op: 'eq', value: id }, limit: 1 }, { tx })).data;
      if (!record) throw problems.notFound(`${object} ${id} does not exist`);
      return record;
    },
    create: async (object, values) => (await core.records.create(actor, object, values, { tx })).record,
    update: async (object, id, values) => (await core.records.update(actor, object, id, values, { tx })).record,
    delete: (object, id) => core.records.delete(actor, object, id, { tx }),
    batch: (object, input) => core.records.batch(actor, object, input, { tx }),
  };
}

// ./manifest
import { z } from 'zod';
/**
 * The plugin API this host implements. A plugin's `engines.rapport` is a range of this version
 * (not of the app's): the host refuses a plugin built for another major.
 */
export declare const PLUGIN_API_VERSION = "1.0.0";
export declare const pluginManifestSchema: z.ZodObject<{
    id: z.ZodString;
    version: z.ZodString;
    displayName: z.ZodObject<{
        en: z.ZodString;
        fr: z.ZodOptional<z.ZodString>;
    }, z.core.$strict>;
    description: z.ZodOptional<z.ZodObject<{
        en: z.ZodString;
        fr: z.ZodOptional<z.ZodString>;
    }, z.core.$strict>>;
    engines: z.ZodObject<{
        rapport: z.ZodString;
    }, z.core.$strict>;
    requires: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodString>>;
    permissions: z.ZodDefault<z.ZodObject<{
        objects: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodObject<{
            read: z.ZodEnum<{
                none: "none";
                own: "own";
                team: "team";
                all: "all";
            }>;
            create: z.ZodDefault<z.ZodBoolean>;
            update: z.ZodDefault<z.ZodEnum<{
                none: "none";
                own: "own";
                team: "team";
                all: "all";
            }>>;
            delete: z.ZodDefault<z.ZodEnum<{
                none: "none";
                own: "own";
                team: "team";
                all: "all";
            }>>;
        }, z.core.$strict>>>;
    }, z.core.$strict>>;
    objects: z.ZodDefault<z.ZodArray<z.ZodObject<{
        name: z.ZodString;
        labels: z.ZodObject<{
            singular: z.ZodObject<{
                en: z.ZodString;
                fr: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>;
            plural: z.ZodObject<{
                en: z.ZodString;
                fr: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>;
        }, z.core.$strict>;
        icon: z.ZodDefault<z.ZodString>;
        labelField: z.ZodOptional<z.ZodString>;
        titleFields: z.ZodOptional<z.ZodArray<z.ZodString>>;
        fields: z.ZodDefault<z.ZodArray<z.ZodObject<{
            type: z.ZodEnum<{
                number: "number";
                boolean: "boolean";
                text: "text";
                longText: "longText";
                currency: "currency";
                date: "date";
                datetime: "datetime";
                email: "email";
                phone: "phone";
                url: "url";
                select: "select";
                multiSelect: "multiSelect";
                relation: "relation";
                rating: "rating";
                address: "address";
                json: "json";
            }>;
            unique: z.ZodDefault<z.ZodBoolean>;
            indexed: z.ZodDefault<z.ZodBoolean>;
            searchable: z.ZodOptional<z.ZodBoolean>;
            relation: z.ZodOptional<z.ZodObject<{
                kind: z.ZodEnum<{
                    manyToOne: "manyToOne";
                    manyToMany: "manyToMany";
                }>;
                target: z.ZodString;
                reverse: z.ZodOptional<z.ZodObject<{
                    name: z.ZodString;
                    labels: z.ZodObject<{
                        en: z.ZodString;
                        fr: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>;
                }, z.core.$strict>>;
                attributes: z.ZodOptional<z.ZodArray<z.ZodObject<{
                    type: z.ZodEnum<{
                        [x: string]: string;
                    }>;
                    name: z.ZodString;
                    labels: z.ZodObject<{
                        en: z.ZodString;
                        fr: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>;
                    description: z.ZodOptional<z.ZodObject<{
                        en: z.ZodString;
                        fr: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>>;
                    required: z.ZodDefault<z.ZodBoolean>;
                    personalData: z.ZodDefault<z.ZodBoolean>;
                    sensitive: z.ZodDefault<z.ZodBoolean>;
                    default: z.ZodOptional<z.ZodUnknown>;
                    rules: z.ZodDefault<z.ZodArray<z.ZodDiscriminatedUnion<[z.ZodObject<{
                        rule: z.ZodLiteral<"regex">;
                        pattern: z.ZodString;
                        message: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>, z.ZodObject<{
                        rule: z.ZodLiteral<"min">;
                        value: z.ZodNumber;
                        message: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>, z.ZodObject<{
                        rule: z.ZodLiteral<"max">;
                        value: z.ZodNumber;
                        message: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>, z.ZodObject<{
                        rule: z.ZodLiteral<"minLength">;
                        value: z.ZodNumber;
                        message: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>, z.ZodObject<{
                        rule: z.ZodLiteral<"maxLength">;
                        value: z.ZodNumber;
                        message: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>], "rule">>>;
                    options: z.ZodOptional<z.ZodArray<z.ZodObject<{
                        value: z.ZodString;
                        labels: z.ZodObject<{
                            en: z.ZodString;
                            fr: z.ZodOptional<z.ZodString>;
                        }, z.core.$strict>;
                        color: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>>>;
                    max: z.ZodOptional<z.ZodNumber>;
                    integer: z.ZodOptional<z.ZodBoolean>;
                    currencies: z.ZodOptional<z.ZodArray<z.ZodString>>;
                    defaultCountry: z.ZodOptional<z.ZodString>;
                }, z.core.$strict>>>;
            }, z.core.$strict>>;
            name: z.ZodString;
            labels: z.ZodObject<{
                en: z.ZodString;
                fr: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>;
            description: z.ZodOptional<z.ZodObject<{
                en: z.ZodString;
                fr: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>>;
            required: z.ZodDefault<z.ZodBoolean>;
            personalData: z.ZodDefault<z.ZodBoolean>;
            sensitive: z.ZodDefault<z.ZodBoolean>;
            default: z.ZodOptional<z.ZodUnknown>;
            rules: z.ZodDefault<z.ZodArray<z.ZodDiscriminatedUnion<[z.ZodObject<{
                rule: z.ZodLiteral<"regex">;
                pattern: z.ZodString;
                message: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>, z.ZodObject<{
                rule: z.ZodLiteral<"min">;
                value: z.ZodNumber;
                message: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>, z.ZodObject<{
                rule: z.ZodLiteral<"max">;
                value: z.ZodNumber;
                message: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>, z.ZodObject<{
                rule: z.ZodLiteral<"minLength">;
                value: z.ZodNumber;
                message: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>, z.ZodObject<{
                rule: z.ZodLiteral<"maxLength">;
                value: z.ZodNumber;
                message: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>], "rule">>>;
            options: z.ZodOptional<z.ZodArray<z.ZodObject<{
                value: z.ZodString;
                labels: z.ZodObject<{
                    en: z.ZodString;
                    fr: z.ZodOptional<z.ZodString>;
                }, z.core.$strict>;
                color: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>>>;
            max: z.ZodOptional<z.ZodNumber>;
            integer: z.ZodOptional<z.ZodBoolean>;
            currencies: z.ZodOptional<z.ZodArray<z.ZodString>>;
            defaultCountry: z.ZodOptional<z.ZodString>;
        }, z.core.$strict>>>;
        rules: z.ZodDefault<z.ZodArray<z.ZodDiscriminatedUnion<[z.ZodObject<{
            rule: z.ZodLiteral<"compare">;
            left: z.ZodString;
            op: z.ZodEnum<{
                eq: "eq";
                ne: "ne";
                lt: "lt";
                lte: "lte";
                gt: "gt";
                gte: "gte";
            }>;
            right: z.ZodString;
            message: z.ZodOptional<z.ZodString>;
        }, z.core.$strict>, z.ZodObject<{
            rule: z.ZodLiteral<"requiredWhen">;
            field: z.ZodString;
            when: z.ZodObject<{
                field: z.ZodString;
                in: z.ZodArray<z.ZodUnknown>;
            }, z.core.$strict>;
            message: z.ZodOptional<z.ZodString>;
        }, z.core.$strict>], "rule">>>;
        managed: z.ZodDefault<z.ZodArray<z.ZodString>>;
    }, z.core.$strict>>>;
    fields: z.ZodDefault<z.ZodArray<z.ZodObject<{
        object: z.ZodString;
        field: z.ZodObject<{
            type: z.ZodEnum<{
                number: "number";
                boolean: "boolean";
                text: "text";
                longText: "longText";
                currency: "currency";
                date: "date";
                datetime: "datetime";
                email: "email";
                phone: "phone";
                url: "url";
                select: "select";
                multiSelect: "multiSelect";
                relation: "relation";
                rating: "rating";
                address: "address";
                json: "json";
            }>;
            unique: z.ZodDefault<z.ZodBoolean>;
            indexed: z.ZodDefault<z.ZodBoolean>;
            searchable: z.ZodOptional<z.ZodBoolean>;
            relation: z.ZodOptional<z.ZodObject<{
                kind: z.ZodEnum<{
                    manyToOne: "manyToOne";
                    manyToMany: "manyToMany";
                }>;
                target: z.ZodString;
                reverse: z.ZodOptional<z.ZodObject<{
                    name: z.ZodString;
                    labels: z.ZodObject<{
                        en: z.ZodString;
                        fr: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>;
                }, z.core.$strict>>;
                attributes: z.ZodOptional<z.ZodArray<z.ZodObject<{
                    type: z.ZodEnum<{
                        [x: string]: string;
                    }>;
                    name: z.ZodString;
                    labels: z.ZodObject<{
                        en: z.ZodString;
                        fr: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>;
                    description: z.ZodOptional<z.ZodObject<{
                        en: z.ZodString;
                        fr: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>>;
                    required: z.ZodDefault<z.ZodBoolean>;
                    personalData: z.ZodDefault<z.ZodBoolean>;
                    sensitive: z.ZodDefault<z.ZodBoolean>;
                    default: z.ZodOptional<z.ZodUnknown>;
                    rules: z.ZodDefault<z.ZodArray<z.ZodDiscriminatedUnion<[z.ZodObject<{
                        rule: z.ZodLiteral<"regex">;
                        pattern: z.ZodString;
                        message: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>, z.ZodObject<{
                        rule: z.ZodLiteral<"min">;
                        value: z.ZodNumber;
                        message: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>, z.ZodObject<{
                        rule: z.ZodLiteral<"max">;
                        value: z.ZodNumber;
                        message: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>, z.ZodObject<{
                        rule: z.ZodLiteral<"minLength">;
                        value: z.ZodNumber;
                        message: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>, z.ZodObject<{
                        rule: z.ZodLiteral<"maxLength">;
                        value: z.ZodNumber;
                        message: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>], "rule">>>;
                    options: z.ZodOptional<z.ZodArray<z.ZodObject<{
                        value: z.ZodString;
                        labels: z.ZodObject<{
                            en: z.ZodString;
                            fr: z.ZodOptional<z.ZodString>;
                        }, z.core.$strict>;
                        color: z.ZodOptional<z.ZodString>;
                    }, z.core.$strict>>>;
                    max: z.ZodOptional<z.ZodNumber>;
                    integer: z.ZodOptional<z.ZodBoolean>;
                    currencies: z.ZodOptional<z.ZodArray<z.ZodString>>;
                    defaultCountry: z.ZodOptional<z.ZodString>;
                }, z.core.$strict>>>;
            }, z.core.$strict>>;
            name: z.ZodString;
            labels: z.ZodObject<{
                en: z.ZodString;
                fr: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>;
            description: z.ZodOptional<z.ZodObject<{
                en: z.ZodString;
                fr: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>>;
            required: z.ZodDefault<z.ZodBoolean>;
            personalData: z.ZodDefault<z.ZodBoolean>;
            sensitive: z.ZodDefault<z.ZodBoolean>;
            default: z.ZodOptional<z.ZodUnknown>;
            rules: z.ZodDefault<z.ZodArray<z.ZodDiscriminatedUnion<[z.ZodObject<{
                rule: z.ZodLiteral<"regex">;
                pattern: z.ZodString;
                message: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>, z.ZodObject<{
                rule: z.ZodLiteral<"min">;
                value: z.ZodNumber;
                message: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>, z.ZodObject<{
                rule: z.ZodLiteral<"max">;
                value: z.ZodNumber;
                message: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>, z.ZodObject<{
                rule: z.ZodLiteral<"minLength">;
                value: z.ZodNumber;
                message: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>, z.ZodObject<{
                rule: z.ZodLiteral<"maxLength">;
                value: z.ZodNumber;
                message: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>], "rule">>>;
            options: z.ZodOptional<z.ZodArray<z.ZodObject<{
                value: z.ZodString;
                labels: z.ZodObject<{
                    en: z.ZodString;
                    fr: z.ZodOptional<z.ZodString>;
                }, z.core.$strict>;
                color: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>>>;
            max: z.ZodOptional<z.ZodNumber>;
            integer: z.ZodOptional<z.ZodBoolean>;
            currencies: z.ZodOptional<z.ZodArray<z.ZodString>>;
            defaultCountry: z.ZodOptional<z.ZodString>;
        }, z.core.$strict>;
        managed: z.ZodDefault<z.ZodBoolean>;
    }, z.core.$strict>>>;
    events: z.ZodDefault<z.ZodArray<z.ZodString>>;
    emits: z.ZodDefault<z.ZodArray<z.ZodString>>;
    jobs: z.ZodDefault<z.ZodArray<z.ZodObject<{
        name: z.ZodString;
        cron: z.ZodOptional<z.ZodString>;
    }, z.core.$strict>>>;
    commands: z.ZodDefault<z.ZodArray<z.ZodObject<{
        name: z.ZodString;
        description: z.ZodObject<{
            en: z.ZodString;
            fr: z.ZodOptional<z.ZodString>;
        }, z.core.$strict>;
        arguments: z.ZodDefault<z.ZodArray<z.ZodObject<{
            name: z.ZodString;
            description: z.ZodOptional<z.ZodObject<{
                en: z.ZodString;
                fr: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>>;
            required: z.ZodDefault<z.ZodBoolean>;
        }, z.core.$strict>>>;
        options: z.ZodDefault<z.ZodArray<z.ZodObject<{
            name: z.ZodString;
            description: z.ZodOptional<z.ZodObject<{
                en: z.ZodString;
                fr: z.ZodOptional<z.ZodString>;
            }, z.core.$strict>>;
            value: z.ZodDefault<z.ZodBoolean>;
        }, z.core.$strict>>>;
    }, z.core.$strict>>>;
    settings: z.ZodOptional<z.ZodCustom<z.ZodObject<z.core.$ZodLooseShape, z.core.$strip>, z.ZodObject<z.core.$ZodLooseShape, z.core.$strip>>>;
    navigation: z.ZodDefault<z.ZodArray<z.ZodObject<{
        id: z.ZodString;
        label: z.ZodObject<{
            en: z.ZodString;
            fr: z.ZodOptional<z.ZodString>;
        }, z.core.$strict>;
        path: z.ZodDefault<z.ZodString>;
        icon: z.ZodOptional<z.ZodString>;
        requires: z.ZodOptional<z.ZodObject<{
            object: z.ZodString;
            action: z.ZodLiteral<"read">;
        }, z.core.$strict>>;
    }, z.core.$strict>>>;
    secrets: z.ZodDefault<z.ZodArray<z.ZodObject<{
        name: z.ZodString;
        label: z.ZodObject<{
            en: z.ZodString;
            fr: z.ZodOptional<z.ZodString>;
        }, z.core.$strict>;
        description: z.ZodOptional<z.ZodObject<{
            en: z.ZodString;
            fr: z.ZodOptional<z.ZodString>;
        }, z.core.$strict>>;
    }, z.core.$strict>>>;
    fetch: z.ZodOptional<z.ZodObject<{
        hosts: z.ZodArray<z.ZodString>;
    }, z.core.$strict>>;
    personalData: z.ZodDefault<z.ZodArray<z.ZodString>>;
}, z.core.$strict>;
export type PluginManifest = z.output<typeof pluginManifestSchema>;
export type PluginManifestInput = z.input<typeof pluginManifestSchema>;
/** Declares a plugin: validated when the host reads it, without running any of the plugin's code. */
export declare function defineManifest(manifest: PluginManifestInput): PluginManifest;
/** Whether this host can run a plugin built for `range` of the plugin API. */
export declare function supportsPluginApi(range: string): boolean;

// ./server
import type { Context } from 'hono';
import type { z } from 'zod';
import { type ApiRecord, type BatchInput, type FieldProfile, type ProfileOptions, type RecordProfile, type DeliveredEvent, type ListOptions, type MergeSummary, type Page, type PlannedWrite, type ReadOptions } from '@rapport/core';
import type { Executor } from '@rapport/db';
import type { PluginManifest } from './manifest';
/** Drizzle over the database: `ctx.db`, and the transaction `records.transaction` hands to its work. */
export type { Executor };
/** What a merge did (`records.merge`, `records.merges`). */
export type { MergeSummary };
/** What `records.profile` measures and answers. */
export type { FieldProfile, ProfileOptions, RecordProfile };
/** Records through the core's data-access layer, with the rights of whoever it acts as. */
export interface PluginRecords {
    list(object: string, options?: ListOptions): Promise<Page>;
    /** Every page of a list, one after the other (the cursor followed for you): for work over all matching records. */
    pages(object: string, options?: Omit<ListOptions, 'cursor'>): AsyncIterable<ApiRecord[]>;
    get(object: string, id: string, options?: ReadOptions): Promise<ApiRecord>;
    create(object: string, values: Record<string, unknown>): Promise<ApiRecord>;
    update(object: string, id: string, values: Record<string, unknown>): Promise<ApiRecord>;
    delete(object: string, id: string): Promise<void>;
    batch(object: string, input: BatchInput): Promise<{
        data: ApiRecord[];
    }>;
    /**
     * Moves a date-time field of a record forward to `at`, never back: nothing is written if it holds
     * `at` or later already. Safe when several servers do it at once (a change in between is read again).
     * True if it wrote; false if not, or if the record is gone or out of reach.
     */
    advance(object: string, id: string, field: string, at: string | Date): Promise<boolean>;
    /** Full-text and fuzzy (trigram) search; `score` grows with the match (1 + similarity), `matchedField` says where. */
    search(query: string, options?: {
        objects?: string[];
        limit?: number;
    }): Promise<{
        data: {
            object: string;
            id: string;
            label: string | null;
            score: number;
            matchedField: string;
        }[];
    }>;
    /** The object as the caller may see it: its labels and the fields they may read (types, options, relations). */
    describe(object: string): Promise<ObjectDescription>;
    /**
     * All records of a list, page by page, for an export: refused (403) without the role's export
     * right, and recorded in the access audit. The list's rules apply: reachable records, readable fields.
     */
    export(object: string, options?: {
        filter?: unknown;
        sort?: string;
        fields?: string[];
        expand?: string[];
        ids?: string[];
    }): AsyncIterable<ApiRecord[]>;
    /**
     * Several writes as one: every read and write through the given records is in one transaction,
     * all kept or none (a refused write, a thrown error). Same rights as these records'. `db` is the same
     * transaction for the plugin's own tables, so that its bookkeeping commits with the records or not at all.
     */
    transaction<T>(work: (records: TransactionRecords, db: Executor) => Promise<T>): Promise<T>;
    /**
     * Declares an import into `object` before its first row is written: refused (403) without the role's
     * import right or the right to create such records; recorded in the access audit with `detail`.
     */
    recordImport(object: string, detail: Record<string, unknown>): Promise<void>;
    /**
     * Folds 1 to 9 records into a survivor, all or nothing: the survivor takes `values`, every relation
     * pointing at a merged record moves to it, the merged records go to the trash and their history
     * shows on its timeline. Needs the right to update the survivor and delete the others; audited.
     */
    merge(object: string, input: {
        survivorId: string;
        mergedIds: string[];
        values?: Record<string, unknown>;
    }): Promise<{
        merge: MergeSummary;
        record: ApiRecord;
    }>;
    /** Takes a merge back while its merged records are in the trash; values changed since are `kept`. */
    undoMerge(mergeId: string): Promise<{
        merge: MergeSummary;
        kept: string[];
        movedBack: number;
    }>;
    /** The merges into a record the caller may read, newest first. */
    merges(object: string, recordId: string): Promise<MergeSummary[]>;
    /**
     * Counts over the records the caller may read, in two queries whatever their number: per readable
     * field how many have a value and how many values today's rules refuse; named `counts` (filters of
     * the list language); exact duplicates on `duplicateKeys` (case and spaces aside). Never values.
     */
    profile(object: string, options?: ProfileOptions): Promise<RecordProfile>;
    /** Which records of the object each verb reaches for whoever these records act as: `none`, `own`, `team` or `all`. */
    reach(object: string): Promise<{
        read: Scope;
        create: boolean;
        update: Scope;
        delete: Scope;
    }>;
}
/** How far a right reaches: no records, one's own (and one's reports'), one's teams', all. */
export type Scope = 'none' | 'own' | 'team' | 'all';
/** Records inside a transaction: reads see its writes. */
export type TransactionRecords = Pick<PluginRecords, 'list' | 'get' | 'create' | 'update' | 'delete' | 'batch'>;
/** What `records.describe` tells of an object. */
export interface ObjectDescription {
    name: string;
    labels: {
        singular: {
            en: string;
            fr?: string;
        };
        plural: {
            en: string;
            fr?: string;
        };
    };
    labelField: string;
    /** The fields whose values, joined by spaces, name a record where one is shown ("Jean Dupont"). */
    titleFields: string[];
    fields: {
        name: string;
        type: string;
        labels: {
            en: string;
            fr?: string;
        };
        required?: boolean;
        options?: {
            value: string;
            labels: {
                en: string;
                fr?: string;
            };
        }[];
        relation?: {
            kind: string;
            target: string;
        };
    }[];
}
export interface PluginLogger {
    info(message: string, details?: Record<string, unknown>): void;
    warn(message: string, details?: Record<string, unknown>): void;
    error(message: string, details?: Record<string, unknown>): void;
}
/** What a route handler gets beside Hono's context: records acting as the calling user. */
export interface RouteTools {
    records: PluginRecords;
    /** The calling user's or key's id, for the plugin's own bookkeeping; `userId`, the user it acts for (a user's key too), to notify. */
    caller: {
        kind: string;
        id: string;
        workspaceId: string;
        userId: string | null;
    };
    /** Background jobs that act as the caller (their rights, checked again at each write, and their name in the audit). */
    jobs: {
        enqueue(job: string, data: Record<string, unknown>, options?: {
            delaySeconds?: number;
        }): Promise<string>;
    };
}
/** A route handler; a documented route's handler also gets its checked `query` and `body`. */
export type RouteHandler<Query = unknown, Body = unknown> = (c: Context, tools: RouteTools & {
    query: Query;
    body: Body;
}) => Response | Promise<Response>;
/**
 * What a route takes and answers: shown in the OpenAPI document (`/api/v1/openapi.json`, the typed
 * client), and checked before the handler runs — a query or body that does not match is a 422
 * problem naming the parameter or field, and the handler gets the parsed values.
 */
export interface RouteDoc<Query extends z.ZodType = z.ZodType, Body extends z.ZodType = z.ZodType> {
    summary: string;
    description?: string;
    /** The query parameters, an object schema (use `z.coerce` for numbers). */
    query?: Query;
    /** The JSON body. */
    body?: Body;
    /** What a success answers (documentation only). */
    response?: z.ZodType;
}
/** Registers a route: `(path, handler)`, or documented and checked: `(path, { summary, query, body, response }, handler)`. */
export interface RouteMethod {
    (path: string, handler: RouteHandler): void;
    <Query extends z.ZodType = z.ZodType<undefined>, Body extends z.ZodType = z.ZodType<undefined>>(path: string, doc: RouteDoc<Query, Body>, handler: RouteHandler<z.output<Query>, z.output<Body>>): void;
}
/**
 * An event, as the plugin's service identity may see it: only about records it may read (its manifest's
 * `permissions`, record rules included). Record events carry `payload.changes` (the changed fields'
 * names) and `payload.values` (`{ field: { old, new } }`), hidden fields left out.
 */
export interface PluginEvent extends Omit<DeliveredEvent, 'payload'> {
    payload: Record<string, unknown>;
}
/**
 * The context a plugin's server code receives: explicit, capability-scoped, every registration
 * undone when the plugin is disabled. No container, no database handle on core tables.
 */
export interface PluginServerContext {
    manifest: PluginManifest;
    /**
     * Drizzle over the database, for the plugin's own tables: declare them in its `pgSchema('plugin_<id>')`
     * and ship drizzle-kit migrations in the package's `drizzle/` folder (run before the plugin's code,
     * tracked in their own ledger). Core records go through `records`, never through this handle.
     */
    db: Executor;
    log: PluginLogger;
    /** Records as the plugin's service identity (limited to the manifest's permissions), per workspace. */
    records(workspaceId: string): PluginRecords;
    /** Routes served under /api/v1/plugins/<id>/; handlers act as the calling user. */
    http: {
        get: RouteMethod;
        post: RouteMethod;
        patch: RouteMethod;
        delete: RouteMethod;
        /**
         * A POST route for a file: its body may be as large as the server's upload limit
         * (RAPPORT_UPLOAD_LIMIT) rather than the API's; read it as a stream (`c.req.raw.body`).
         */
        upload(path: string, handler: RouteHandler): void;
    };
    /** After-commit subscribers (at least once); types must be declared in the manifest's `events`. */
    events: {
        on(type: string, handler: (event: PluginEvent, records: PluginRecords) => Promise<void>): void;
        /**
         * Emits one of the events its manifest declares in `emits`, as `<plugin id>.<name>`, through the
         * outbox: delivered after commit, at least once, to the subscribers that declare it. About a record
         * (`object`, `recordId`), it reaches only the subscribers whose identity may read that record.
         */
        emit(name: string, event: {
            workspaceId: string;
            object?: string;
            recordId?: string;
            payload: Record<string, unknown>;
        }): Promise<void>;
        /**
         * Checks writes of an object before they happen, inside their transaction: throw `refuse(…)` to
         * veto (nothing of the request is written). Decide from the write alone: no queries here.
         */
        before(object: string, check: (write: PlannedWrite) => void | Promise<void>): void;
    };
    /**
     * Background jobs declared in the manifest's `jobs`: handlers act as the plugin's service identity;
     * at least once, retried with back-off; cron ones run while the plugin is enabled.
     */
    jobs: {
        enqueue(job: string, data: Record<string, unknown>, options?: {
            delaySeconds?: number;
        }): Promise<string>;
        /**
         * Long work calls this between its steps (batches): on the embedded database, whose one connection
         * requests share, it waits long enough for them to go first; on PostgreSQL it returns at once.
         */
        yieldToRequests(): Promise<void>;
        /**
         * How many transactions long work may keep open at once: 1 on the embedded database, whose one
         * connection requests share; 2 on PostgreSQL, where a second lets the database write one batch
         * while this server prepares the next.
         */
        readonly concurrency: number;
        /** `records` act as the plugin's service identity, or as the caller for a job a route enqueued through `tools.jobs`. */
        /**
         * Runs a job of this plugin again, with the same data and acting as the same identity (its caller's,
         * if a route enqueued it): for work found stalled, e.g. after the server that ran it died.
         */
        rerun(jobId: string): Promise<string>;
        handle(job: string, handler: (data: Record<string, unknown>, records: (workspaceId: string) => PluginRecords) => Promise<unknown>): void;
    };
    /**
     * Adds entries to records' timelines (`record.timeline/v1`): given a record and a page (`before`, an
     * entry id; `limit`), return its newest entries, each with a time-ordered id (`newId()`).
     */
    timeline: {
        source(
        /** `records` act as the reader of the timeline: show them only what they may read. */
        entries: (query: {
            workspaceId: string;
            object: string;
            recordId: string;
            before?: string;
            limit: number;
        }, records: PluginRecords) => Promise<{
            id: string;
            at: string;
            kind: string;
            title: {
                en: string;
                fr?: string;
            };
            body?: {
                en: string;
                fr?: string;
            };
        }[]>): void;
    };
    /** Files attached to records, as the plugin's service identity (its rights on the record decide). */
    files: {
        add(workspaceId: string, file: {
            object: string;
            recordId: string;
            name: string;
            contentType?: string;
        }, bytes: Uint8Array): Promise<{
            id: string;
            size: number;
            sha256: string;
        }>;
        list(workspaceId: string, object: string, recordId: string): Promise<{
            id: string;
            name: string;
            contentType: string;
            size: number;
        }[]>;
    };
    /**
     * In-app notifications (and mail, for users who ask for it) to users of a workspace; `kind` is
     * namespaced by the plugin (`<id>.<kind>`). About a record, it reaches only those who may read it.
     */
    notify(workspaceId: string, notification: {
        to: string[];
        kind: string;
        title: {
            en: string;
            fr?: string;
        };
        body?: {
            en: string;
            fr?: string;
        };
        link?: {
            object: string;
            id: string;
        } | {
            path: string;
        };
    }): Promise<number>;
    /**
     * GDPR: how to export and erase what the plugin stores about a person. Required when the manifest
     * declares `personalData`: the host refuses to enable such a plugin without them.
     */
    gdpr: {
        register(hooks: GdprHooks): void;
    };
    /** Its settings as saved by an admin (defaults from the manifest's schema), current at each call. */
    settings: {
        get(): Promise<Record<string, unknown>>;
        /**
         * Called with the new settings when an admin saves them through this server (other servers of the
         * same database are not told: re-read them now and then if a copy must stay current there too).
         */
        onChange(listener: (values: Record<string, unknown>) => void | Promise<void>): void;
    };
    /** The secrets its manifest declares (`secrets`), as admins set them: null while unset. Never log them. */
    secrets: {
        get(name: string): Promise<string | null>;
    };
    /**
     * fetch, to the hosts its manifest declares (`fetch.hosts`) only: never to an address inside the
     * server's network (unless the admin allows that host), redirects checked hop by hop, 10 s at most.
     * A refused call throws.
     */
    fetch: typeof fetch;
    /**
     * Checks admins run from `GET /api/v1/plugins/health` (its service answers, its key is set…): resolve
     * when fine (optionally with a `detail`), throw with the reason when not; 5 s at most each.
     */
    health: {
        check(name: string, check: () => Promise<void | {
            detail?: string;
        }>): void;
    };
    /**
     * The CLI commands its manifest declares (`commands`): `rapport <plugin-id> <name> …` sends them to the
     * server, checked against the declaration (a missing argument or unknown option is a 422 naming it),
     * and the handler acts as the API key's user (`tools`, as a route's).
     */
    commands: {
        handle(name: string, handler: (input: CommandInput, tools: RouteTools) => CommandOutput | Promise<CommandOutput>): void;
    };
    /** Called when the plugin is disabled or upgraded, after its registrations are removed. */
    onDispose(dispose: () => void | Promise<void>): void;
}
/** What a CLI command gets: its arguments by name, its options (a flag given is true). */
export interface CommandInput {
    args: Record<string, string>;
    options: Record<string, string | true>;
}
/** What a CLI command prints (`text`, else `data` as JSON) and its exit code (0 unless said). */
export type CommandOutput = string | {
    text?: string;
    data?: unknown;
    exitCode?: number;
};
export interface GdprHooks {
    /** Everything the plugin keeps about this person, as JSON, for a subject access request. */
    exportPersonalData(subject: {
        workspaceId: string;
        personId: string;
        email: string | null;
    }): Promise<Record<string, unknown>>;
    /** Erases (or anonymises) it, for a right-to-erasure request. */
    erasePersonalData(subject: {
        workspaceId: string;
        personId: string;
        email: string | null;
    }): Promise<void>;
}
/** A new time-ordered id (UUID v7), for timeline entries and the plugin's own rows. */
export { newId } from '@rapport/core';
export { recordTitle } from './record-title';
/** The id a relation's value points at, whether it came expanded (`{ id, … }`) or not; null when empty. */
export declare function relationId(value: unknown): string | null;
/** Vetoes a write from a `before` hook: a 422 problem naming the fields. */
export declare function refuse(detail: string, errors?: {
    field: string;
    code: string;
    message: string;
}[]): Error;
/** Nothing the caller may see answers to this (an unknown id, someone else's): a 404 problem. */
export declare function notFound(detail: string): Error;
/** The caller may not do this (a right their role lacks): a 403 problem. */
export declare function forbidden(detail: string): Error;
/** The request does not fit the resource's current state (already started, still running): a 409 problem. */
export declare function conflict(detail: string, errors?: {
    field: string;
    code: string;
    message: string;
}[]): Error;
export interface PluginServer {
    manifest: PluginManifest;
    setup(ctx: PluginServerContext): void | Promise<void>;
}
/** A plugin's server entry (`./server`): run when the plugin is enabled, never at import. */
export declare function defineServer(manifest: PluginManifest, setup: (ctx: PluginServerContext) => void | Promise<void>): PluginServer;

// ./web
import { type ComponentType, type ReactNode } from 'react';
import type { PluginManifest } from './manifest';
export { recordTitle } from './record-title';
/** A text in English, optionally French (English is the fallback). */
export interface WebText {
    en: string;
    fr?: string;
}
/** What a plugin page receives: its path under `/p/<plugin>/` and the route's parameters. */
export interface PluginPageProps {
    path: string;
    params: Record<string, string>;
}
/** Record slots (`record.panel/v1`, `record.tab/v1`, `record.action/v1`): the record on screen, as the reader may see it. */
export interface RecordSlotProps {
    object: string;
    recordId: string;
    record: Record<string, unknown>;
}
/** `list.action/v1`: the list's object, the selected records (maybe none), and what the list shows. */
export interface ListActionProps {
    object: string;
    selectedIds: string[];
    /** The list's filter and sort as the records API takes them, and its columns in order. */
    query: {
        filter?: unknown;
        sort?: string;
        columns: string[];
    };
}
/** `field.renderer/v1`: one value of a field of the declared type. */
export interface FieldRendererProps {
    object: string;
    field: string;
    value: unknown;
}
/** `dashboard.widget/v1` and `settings.page/v1` take no props. */
export type EmptySlotProps = Record<string, never>;
interface Contribution<P> {
    /** Unique within the plugin and the slot. */
    id: string;
    title?: WebText;
    /** Objects it applies to (all if absent). */
    objects?: string[];
    component: ComponentType<P>;
}
/** The versioned extension points of the shell; a new version is a new name, never a changed one. */
export interface WebSlots {
    'record.panel/v1'?: Contribution<RecordSlotProps>[];
    'record.tab/v1'?: Contribution<RecordSlotProps>[];
    'record.action/v1'?: Contribution<RecordSlotProps>[];
    'list.action/v1'?: Contribution<ListActionProps>[];
    'dashboard.widget/v1'?: Contribution<EmptySlotProps>[];
    'settings.page/v1'?: Contribution<EmptySlotProps>[];
    'field.renderer/v1'?: (Contribution<FieldRendererProps> & {
        fieldType: string;
    })[];
}
export interface PluginWeb {
    id: string;
    /** Sub-path (`''` for the plugin's home) → page; `:name` segments match any one segment, given in `params` (`imports/:id`). */
    pages: Record<string, ComponentType<PluginPageProps>>;
    slots: WebSlots;
}
/**
 * A plugin's web side: `export default defineWeb({ id: 'hello' }, { pages, slots })` in `src/web.tsx`.
 * Give the id rather than importing `./manifest` (which validates with server-side schemas); the shell
 * mounts the module only if the id is the plugin's.
 */
export declare function defineWeb(manifest: Pick<PluginManifest, 'id'>, definition: {
    pages?: PluginWeb['pages'];
    slots?: WebSlots;
}): PluginWeb;
/** What the shell gives plugin components. */
export interface RapportWeb {
    locale: 'en' | 'fr';
    /** Same-origin fetch with the session and its CSRF header: `fetch('/api/v1/plugins/hello/greetings')`. */
    fetch: (path: string, init?: RequestInit) => Promise<Response>;
    /** A `{ en, fr }` text in the reader's language. */
    t: (text: WebText) => string;
    navigate: (to: string) => void;
    /** Asks the shell to reload the records it shows (after the plugin changed some). */
    refresh: () => void;
    /**
     * A field's value as the shell shows it: days, moments, numbers and money in the reader's language,
     * phones grouped, options by their label, related records by name, a plugin's renderer for its type.
     * `<FieldValue object="person" field="phone" value={record.phone} />`
     */
    FieldValue: ComponentType<{
        object: string;
        field: string;
        value: unknown;
    }>;
    /** The shell's formatting in the reader's language, for text a plugin writes itself (labels, titles). */
    format: WebFormatters;
}
/** Days, moments, numbers and money (in minor units) as the shell writes them for the reader. */
export interface WebFormatters {
    /** `5 Dec 2026`, `5 déc. 2026` (an ISO day or instant) */
    date(value: string | Date): string;
    dateTime(value: string | Date): string;
    number(value: number): string;
    money(value: {
        amountMinor: number;
        currency: string;
    }): string;
    /** `3 minutes ago`, `il y a 3 minutes` */
    relative(value: string | Date, now?: Date): string;
}
/** Used by the shell around every plugin component. */
export declare function RapportWebProvider({ value, children }: {
    value: RapportWeb;
    children?: ReactNode;
}): import("react").FunctionComponentElement<import("react").ProviderProps<RapportWeb | null>>;
export declare function useRapport(): RapportWeb;

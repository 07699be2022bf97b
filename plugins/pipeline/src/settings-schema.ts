import { z } from 'zod';
import { REQUIRABLE_FIELDS } from './pipelines';

/* The plugin's settings as admins write them, checked on save (a 422 naming the place and the rule). */

const key = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower case letters, digits or _ (40 at most), starting with a letter');

export const stageSchema = z.strictObject({
  /** One of the opportunity's stage field options (their labels are the stage's names). */
  stage: key,
  /** The default probability (%) of a deal in this stage, when the deal gives none. */
  probability: z.number().int().min(0).max(100),
  outcome: z.enum(['open', 'won', 'lost']).default('open'),
  /** A deal with no change for this many days is highlighted (the plugin's `rottingDays` when unset). */
  rottingDays: z.number().int().min(1).max(365).nullable().default(null),
  requires: z.array(z.enum(REQUIRABLE_FIELDS)).max(REQUIRABLE_FIELDS.length).default([]),
});

export const pipelineSchema = z
  .strictObject({
    key,
    labels: z.strictObject({ en: z.string().trim().min(1).max(80), fr: z.string().trim().min(1).max(80).optional() }),
    stages: z.array(stageSchema).min(2).max(30),
  })
  .superRefine((pipeline, issues) => {
    const seen = new Set<string>();
    pipeline.stages.forEach((stage, index) => {
      if (seen.has(stage.stage)) issues.addIssue({ code: 'custom', path: ['stages', index, 'stage'], message: `"${stage.stage}" is twice in this pipeline` });
      seen.add(stage.stage);
    });
    for (const outcome of ['won', 'lost'] as const) {
      if (!pipeline.stages.some((stage) => stage.outcome === outcome)) issues.addIssue({ code: 'custom', path: ['stages'], message: `needs a ${outcome} stage` });
    }
  });

export const pipelinesSchema = z
  .array(pipelineSchema)
  .min(1)
  .max(20)
  .superRefine((pipelines, issues) => {
    const seen = new Set<string>();
    pipelines.forEach((pipeline, index) => {
      if (seen.has(pipeline.key)) issues.addIssue({ code: 'custom', path: [index, 'key'], message: `"${pipeline.key}" is used by another pipeline` });
      seen.add(pipeline.key);
    });
  });

export type Stage = z.output<typeof stageSchema>;
export type Pipeline = z.output<typeof pipelineSchema>;

const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');

/** A rate typed by an admin: on and after `date`, 1 `from` is worth `rate` `to` (until a later rate). */
export const exchangeRateSchema = z
  .strictObject({
    from: currency,
    to: currency,
    rate: z.number().positive().max(1e9),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-01-31'),
  })
  .refine((rate) => rate.from !== rate.to, { path: ['to'], message: 'must differ from "from"' });


export type ExchangeRate = z.output<typeof exchangeRateSchema>;

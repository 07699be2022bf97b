import { z } from 'zod';
import { STAGES } from './stages';

/** Fields a stage may ask for before a deal enters it (checked by the API). */
export const REQUIRABLE_FIELDS = ['amount', 'closeDate', 'company', 'source', 'lostReason'] as const;

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

const NEEDS: Record<string, Stage['requires']> = { proposal: ['amount'], negotiation: ['amount', 'closeDate'], won: ['amount', 'closeDate'], lost: ['lostReason'] };

/** What a new workspace starts with: one sales pipeline over the stages the plugin declares. */
export const DEFAULT_PIPELINES: Pipeline[] = [
  {
    key: 'sales',
    labels: { en: 'Sales', fr: 'Ventes' },
    stages: STAGES.map(({ value, probability }) => ({ stage: value, probability, outcome: value === 'won' ? 'won' : value === 'lost' ? 'lost' : 'open', rottingDays: null, requires: NEEDS[value] ?? [] })),
  },
];

/** A deal's pipeline: the one its `pipeline` field names, the first one when it names none. */
export function pipelineOf(pipelines: readonly Pipeline[], deal: { pipeline?: unknown }): Pipeline | undefined {
  return typeof deal.pipeline === 'string' && deal.pipeline ? pipelines.find((pipeline) => pipeline.key === deal.pipeline) : pipelines[0];
}

/** A stage's place in a deal's pipeline, if it has one there. */
export function stageIn(pipelines: readonly Pipeline[], deal: { pipeline?: unknown; stage?: unknown }): Stage | undefined {
  return pipelineOf(pipelines, deal)?.stages.find((stage) => stage.stage === deal.stage);
}

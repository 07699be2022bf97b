import type { Pipeline, Stage } from './settings-schema';
import { STAGES } from './stages';

export type { Pipeline, Stage };

/** Fields a stage may ask for before a deal enters it (checked by the API). */
export const REQUIRABLE_FIELDS = ['amount', 'closeDate', 'company', 'source', 'lostReason'] as const;

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

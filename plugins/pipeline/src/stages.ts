/** The stages a new workspace starts with; admins add stages as options of the stage field (Settings → Objects) and arrange them into pipelines (the plugin’s settings). */
export const STAGES = [
  { value: 'lead', labels: { en: 'Lead', fr: 'Piste' }, probability: 10 },
  { value: 'qualified', labels: { en: 'Qualified', fr: 'Qualifiée' }, probability: 25 },
  { value: 'proposal', labels: { en: 'Proposal', fr: 'Proposition' }, probability: 50 },
  { value: 'negotiation', labels: { en: 'Negotiation', fr: 'Négociation' }, probability: 75 },
  { value: 'won', labels: { en: 'Won', fr: 'Gagnée' }, probability: 100 },
  { value: 'lost', labels: { en: 'Lost', fr: 'Perdue' }, probability: 0 },
] as const;





export interface StagePeriod {
  stage: string | null;
  from: string;
  to: string | null;
  days: number;
}

/** Time in each stage, from the ordered changes of one opportunity (the last period runs until `now`). */
export function periods(changes: { toStage: string | null; at: Date }[], now = new Date()): StagePeriod[] {
  return changes.map((change, index) => {
    const end = changes[index + 1]?.at ?? null;
    const until = end ?? now;
    return { stage: change.toStage, from: change.at.toISOString(), to: end?.toISOString() ?? null, days: Math.round(((until.getTime() - change.at.getTime()) / 86_400_000) * 10) / 10 };
  });
}

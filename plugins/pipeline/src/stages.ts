/** The stages a new workspace starts with; admins edit the stage field's options at run time (Settings → Objects). */
export const STAGES = [
  { value: 'lead', labels: { en: 'Lead', fr: 'Piste' }, probability: 10 },
  { value: 'qualified', labels: { en: 'Qualified', fr: 'Qualifiée' }, probability: 25 },
  { value: 'proposal', labels: { en: 'Proposal', fr: 'Proposition' }, probability: 50 },
  { value: 'negotiation', labels: { en: 'Negotiation', fr: 'Négociation' }, probability: 75 },
  { value: 'won', labels: { en: 'Won', fr: 'Gagnée' }, probability: 100 },
  { value: 'lost', labels: { en: 'Lost', fr: 'Perdue' }, probability: 0 },
] as const;

/** Stages from which a deal needs an amount (and a close date from negotiation on): checked by the API. */
export const NEEDS_AMOUNT = ['proposal', 'negotiation', 'won'];
export const NEEDS_CLOSE_DATE = ['negotiation', 'won'];

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

/** Amounts in minor units, totalled per currency (no conversion: rates come later). */
export function totals(deals: { amount?: { amountMinor: number; currency: string } | null }[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const deal of deals) if (deal.amount) sums[deal.amount.currency] = (sums[deal.amount.currency] ?? 0) + deal.amount.amountMinor;
  return sums;
}

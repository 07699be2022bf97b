import { useI18n } from '../i18n/i18n';
import { PluginBoundary, usePluginModules } from './plugin-host';
export { PluginBoundary };

interface SlotContribution {
  plugin: string;
  id: string;
  title?: { en: string; fr?: string };
  objects?: string[];
  component: React.ComponentType<Record<string, unknown>>;
}

/** What enabled plugins contribute to one slot for this object (all objects when it names none). */
export function useSlotContributions(name: string, object?: string): SlotContribution[] {
  const modules = usePluginModules();
  return modules.flatMap(({ plugin, web }) =>
    ((web.slots as Record<string, Omit<SlotContribution, 'plugin'>[]> | undefined)?.[name] ?? [])
      .filter((contribution) => !object || !contribution.objects || contribution.objects.includes(object))
      .map((contribution) => ({ plugin: plugin.id, ...contribution })),
  );
}

/** Fills one versioned slot (`record.panel/v1`…) with what enabled plugins contribute for this object. */
export function PluginSlot({ name, object, props, card }: { name: string; object?: string; props: Record<string, unknown>; card?: boolean }) {
  const { l } = useI18n();
  const contributions = useSlotContributions(name, object);
  if (contributions.length === 0) return null;
  return (
    <>
      {contributions.map((contribution) => (
        <PluginBoundary key={`${contribution.plugin}:${contribution.id}`} plugin={contribution.plugin}>
          {card ? (
            <section className="r-card" style={{ padding: 12, display: 'grid', gap: 8 }} data-slot={name} data-plugin={contribution.plugin}>
              {contribution.title ? <h3>{l(contribution.title)}</h3> : null}
              <contribution.component {...props} />
            </section>
          ) : (
            <contribution.component {...props} />
          )}
        </PluginBoundary>
      ))}
    </>
  );
}

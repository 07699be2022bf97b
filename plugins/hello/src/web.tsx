import { useQuery } from '@tanstack/react-query';
import { defineWeb, useRapport, type RecordSlotProps } from '@rapport/sdk/web';

/** The plugin's home page: a greeting fetched from its own route, as the signed-in user. */
function HelloPage() {
  const { fetch, t } = useRapport();
  const greeting = useQuery({
    queryKey: ['hello', 'greeting'],
    queryFn: async () => {
      const response = await fetch('/api/v1/plugins/hello/greeting');
      if (!response.ok) throw new Error(`${response.status}`);
      return (await response.json()) as { greeting: string; peopleYouMaySee: number; timesGreeted: number };
    },
  });
  return (
    <section className="r-card" style={{ padding: 16, display: 'grid', gap: 8 }} data-testid="hello-page">
      <p style={{ margin: 0 }}>{t({ en: 'This page comes from the hello plugin, loaded at run time.', fr: 'Cette page vient de l’extension hello, chargée à la volée.' })}</p>
      {greeting.data ? (
        <p style={{ margin: 0 }} data-testid="hello-greeting">
          {t({ en: `${greeting.data.peopleYouMaySee} people you may see; greeted ${greeting.data.timesGreeted} times.`, fr: `${greeting.data.peopleYouMaySee} personnes visibles ; salué ${greeting.data.timesGreeted} fois.` })}
        </p>
      ) : null}
      {greeting.error ? <p className="r-alert">{String(greeting.error)}</p> : null}
    </section>
  );
}

/** A panel on every company page. */
function CompanyPanel({ record }: RecordSlotProps) {
  const { t } = useRapport();
  return <p style={{ margin: 0 }} data-testid="hello-panel">{t({ en: `Hello, ${String(record.name)}!`, fr: `Bonjour, ${String(record.name)} !` })}</p>;
}

// The id, not the manifest: the manifest module validates with server-side schemas a browser has no use for.
export default defineWeb({ id: 'hello' }, {
  pages: { '': HelloPage },
  slots: { 'record.panel/v1': [{ id: 'greeting', title: { en: 'Hello', fr: 'Bonjour' }, objects: ['company'], component: CompanyPanel }] },
});

import { Link } from '@tanstack/react-router';
import { useMe, useObjects } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { PluginBoundary, useSlotContributions } from '../plugins/plugin-slot';
import { Icon } from './icons';
import { recentRecords } from './recent-records';

/** The start page: where I left off, my objects, and the widgets enabled plugins bring (`dashboard.widget/v1`). */
export function HomePage() {
  const { t, l } = useI18n();
  const me = useMe();
  const objects = useObjects();
  const widgets = useSlotContributions('dashboard.widget/v1');
  const recent = recentRecords();
  const objectOf = (name: string) => objects.data?.find((object) => object.name === name);
  return (
    <div className="page">
      <h1>{t('home.welcome', { name: me.data?.user?.name ?? '' })}</h1>
      <div className="home-grid">
        <section className="r-card" style={{ padding: 16, display: 'grid', gap: 8, alignContent: 'start' }}>
          <h2>{t('home.recent')}</h2>
          {recent.length === 0 ? <p className="r-muted" style={{ margin: 0 }}>{t('home.noRecent')}</p> : null}
          {recent.map((record) => (
            <Link key={record.id} to="/objects/$object/$id" params={{ object: record.object, id: record.id }} className="nav-link">
              <Icon name={objectOf(record.object)?.icon} />
              {record.label}
              <span className="r-muted" style={{ marginLeft: 'auto', fontSize: 12 }}>{objectOf(record.object) ? l(objectOf(record.object)!.labels.singular) : record.object}</span>
            </Link>
          ))}
        </section>
        <section className="r-card" style={{ padding: 16, display: 'grid', gap: 8, alignContent: 'start' }}>
          <h2>{t('home.objects')}</h2>
          {objects.data?.map((object) => (
            <Link key={object.name} to="/objects/$object" params={{ object: object.name }} className="nav-link">
              <Icon name={object.icon} />
              {l(object.labels.plural)}
            </Link>
          ))}
        </section>
        {widgets.map((widget) => (
              <section key={`${widget.plugin}:${widget.id}`} className="r-card" style={{ padding: 16, display: 'grid', gap: 8, alignContent: 'start' }} data-slot="dashboard.widget/v1" data-plugin={widget.plugin}>
                {widget.title ? <h2>{l(widget.title)}</h2> : null}
                <PluginBoundary plugin={widget.plugin}>
                  <widget.component />
                </PluginBoundary>
              </section>
        ))}
      </div>
    </div>
  );
}

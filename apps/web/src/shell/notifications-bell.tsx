import { Button, Popover } from '@rapport/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Bell } from 'lucide-react';
import { api, unwrap } from '../api/client';
import { keys } from '../api/queries';
import { useI18n } from '../i18n/i18n';

export function NotificationsBell() {
  const { t, l, format } = useI18n();
  const client = useQueryClient();
  const navigate = useNavigate();
  const notifications = useQuery({ queryKey: keys.notifications, queryFn: () => unwrap(api.GET('/api/v1/notifications', { params: { query: { limit: 20 } } })), refetchInterval: 60_000 });
  const markRead = useMutation({
    mutationFn: (body: { all: true } | { ids: string[] }) => unwrap(api.POST('/api/v1/notifications/read', { body })),
    onSettled: () => client.invalidateQueries({ queryKey: keys.notifications }),
  });
  const unread = notifications.data?.unreadCount ?? 0;
  return (
    <Popover
      align="end"
      trigger={(props) => (
        <span style={{ position: 'relative', display: 'inline-block' }}>
          <Button variant="ghost" iconOnly icon={<Bell size={17} />} {...props} aria-label={`${t('notifications.title')}${unread ? ` (${t('notifications.unread', { count: unread })})` : ''}`}>
            {t('notifications.title')}
          </Button>
          {unread > 0 ? <span className="bell-count" aria-hidden="true">{unread > 99 ? '99+' : unread}</span> : null}
        </span>
      )}
    >
      {(close) => (
        <div className="notifications">
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '2px 4px 6px' }}>
            <h3>{t('notifications.title')}</h3>
            {unread > 0 ? <Button size="sm" variant="ghost" onClick={() => markRead.mutate({ all: true })}>{t('notifications.markAllRead')}</Button> : null}
          </div>
          {notifications.data?.data.length ? (
            notifications.data.data.map((notification) => (
              <button
                key={notification.id}
                type="button"
                className="r-menu-item notification"
                data-unread={!notification.readAt}
                style={{ display: 'grid' }}
                onClick={() => {
                  if (!notification.readAt) markRead.mutate({ ids: [notification.id] });
                  const link = notification.link;
                  if (link && 'object' in link) void navigate({ to: '/objects/$object/$id', params: { object: link.object, id: link.id } });
                  else if (link && 'path' in link) void navigate({ to: link.path });
                  close();
                }}
              >
                <strong>{l(notification.title)}</strong>
                {notification.body ? <span>{l(notification.body)}</span> : null}
                <small>{format.relative(notification.createdAt)}</small>
              </button>
            ))
          ) : (
            <p className="r-muted" style={{ margin: 8 }}>{t('notifications.empty')}</p>
          )}
        </div>
      )}
    </Popover>
  );
}

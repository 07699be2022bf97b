import { Button, Popover } from '@rapport/ui';
import type { Locale } from '@rapport/i18n';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { Languages, LogOut, Moon, Sun, UserRound } from 'lucide-react';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { keys, useMe } from '../api/queries';
import { useI18n } from '../i18n/i18n';

export function useSetLanguage() {
  const { setLocale } = useI18n();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (locale: Locale) => {
      setLocale(locale);
      // Saved on my profile, so that it follows me to another browser (and to the mail I receive).
      return unwrap(api.PATCH('/api/v1/me', { body: { locale } }));
    },
    onSettled: () => client.invalidateQueries({ queryKey: keys.me }),
  });
}

export function UserMenu() {
  const { t, locale } = useI18n();
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const setLanguage = useSetLanguage();
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme ?? 'light');
  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    localStorage.setItem('rapport.theme', next);
    setTheme(next);
  };
  const signOut = async () => {
    await api.POST('/api/v1/auth/logout');
    client.clear();
    await navigate({ to: '/sign-in', search: { redirect: undefined } });
  };
  const name = me.data?.user?.name ?? me.data?.user?.email ?? '';
  return (
    <Popover
      align="end"
      trigger={(props) => (
        <Button variant="ghost" icon={<UserRound size={16} />} {...props}>
          {name}
        </Button>
      )}
    >
      {(close) => (
        <div className="r-menu" style={{ minWidth: 220 }}>
          <div className="r-muted" style={{ padding: '4px 8px 8px', fontSize: 12 }}>{me.data?.user?.email}</div>
          <Link to="/settings/profile" className="r-menu-item" onClick={close}>
            <UserRound size={15} /> {t('nav.profile')}
          </Link>
          <button type="button" className="r-menu-item" onClick={() => setLanguage.mutate(locale === 'en' ? 'fr' : 'en')} lang={locale === 'en' ? 'fr' : 'en'}>
            <Languages size={15} /> {locale === 'en' ? 'Français' : 'English'}
          </button>
          <button type="button" className="r-menu-item" onClick={toggleTheme}>
            {theme === 'dark' ? <Sun size={15} /> : <Moon size={15} />} {theme === 'dark' ? t('nav.theme.light') : t('nav.theme.dark')}
          </button>
          <button type="button" className="r-menu-item" onClick={() => void signOut()}>
            <LogOut size={15} /> {t('auth.signOut')}
          </button>
        </div>
      )}
    </Popover>
  );
}

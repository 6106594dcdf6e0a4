import { AppShell, Group, Image, NavLink, ScrollArea, Text } from '@mantine/core';
import { IconArrowLeft, IconLayoutDashboard } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { State } from '../../api/system';
import logo from '../../assets/logo.svg';
import { type Route, routeHash } from '../../router';
import { adminSections } from '../admin/sections';
import classes from './Shell.module.css';
import { SyncIndicator } from './SyncIndicator';
import { UserMenu } from './UserMenu';

interface LayoutProps {
  state: State;
  route: Route;
  navigate: (r: Route) => void;
  children: ReactNode;
}

/** Layout is the window: the sidebar with the administrator at the bottom left, and the screen. */
export function Layout({ state, route, navigate, children }: LayoutProps) {
  const { t } = useTranslation();
  const admin = state.admin;
  const inAdmin = route.page === 'admin';

  return (
    <AppShell navbar={{ width: 264, breakpoint: 0 }} padding={0}>
      <AppShell.Navbar className={classes.navbar} aria-label={t('nav.main')}>
        <Group className={classes.brand} gap="sm" wrap="nowrap">
          <Image src={logo} alt="" w={32} h={32} />
          <div style={{ minWidth: 0 }}>
            <Text fw={700} lh={1.2}>
              {t('app.name')}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {state.organisation?.name}
            </Text>
            <SyncIndicator />
          </div>
        </Group>
        <ScrollArea className={classes.nav} component="nav">
          {inAdmin ? (
            <>
              <NavLink
                href={routeHash({ page: 'home' })}
                label={t('admin.back')}
                leftSection={<IconArrowLeft size={18} stroke={1.5} aria-hidden />}
                mb="xs"
              />
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py={6}>
                {t('admin.title')}
              </Text>
              {adminSections.map((s) => (
                <NavLink
                  key={s.id}
                  href={routeHash({ page: 'admin', section: s.id })}
                  label={t(s.labelKey)}
                  leftSection={<s.icon size={18} stroke={1.5} aria-hidden />}
                  active={route.section === s.id || route.section.startsWith(`${s.id}/`)}
                  aria-current={route.section === s.id ? 'page' : undefined}
                />
              ))}
            </>
          ) : (
            <NavLink
              href={routeHash({ page: 'home' })}
              label={t('nav.overview')}
              leftSection={<IconLayoutDashboard size={18} stroke={1.5} aria-hidden />}
              active
              aria-current="page"
            />
          )}
        </ScrollArea>
        <div className={classes.footer}>
          {admin && (
            <UserMenu
              name={admin.name}
              email={admin.email}
              language={state.language}
              onAdminSettings={() => navigate({ page: 'admin', section: adminSections[0]?.id ?? '' })}
            />
          )}
        </div>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}

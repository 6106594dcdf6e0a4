import { useEffect } from 'react';
import { onOpenScreen, takeStartScreen } from '../../api/system';
import type { Route } from '../../router';
import { useInviteDialogs } from '../users/InviteDialogs';

/** The admin sections `roster --open` can name, by screen name. */
const sections: Record<string, string> = {
  users: 'users',
  invitations: 'invitations',
  roles: 'roles',
  email: 'email',
  audit: 'audit',
  'invite-one': 'users',
  'invite-multiple': 'users',
};

/**
 * useStartScreen opens the screen `roster --open SCREEN` asked for, at start
 * and when a second launch asks the running window.
 */
export function useStartScreen(ready: boolean, navigate: (r: Route) => void) {
  const invite = useInviteDialogs();
  useEffect(() => {
    if (!ready) return;
    const open = (screen: string) => {
      if (!screen) return;
      const section = sections[screen];
      navigate(section ? { page: 'admin', section } : { page: 'home' });
      if (screen === 'invite-one') invite.openOne();
      if (screen === 'invite-multiple') invite.openMultiple();
    };
    takeStartScreen()
      .then(open)
      .catch(() => {});
    return onOpenScreen(open);
  }, [ready, navigate, invite]);
}

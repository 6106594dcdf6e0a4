import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconFileUpload, IconMail, IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useInviteDialogs } from './InviteDialogs';

/** InviteUserMenu is the guide's "Invite user" button and the ways to invite. */
export function InviteUserMenu() {
  const { t } = useTranslation();
  const invite = useInviteDialogs();
  return (
    // As wide as its longest entry ("Mehrere Benutzer einladen"), each on one line.
    <Menu
      position="bottom-end"
      withinPortal
      withInitialFocusPlaceholder={false}
      styles={{ dropdown: { minWidth: 240 }, itemLabel: { whiteSpace: 'nowrap' } }}
    >
      <Menu.Target>
        <Button
          leftSection={<IconUserPlus size={18} stroke={1.7} aria-hidden />}
          rightSection={<IconChevronDown size={16} stroke={1.7} aria-hidden />}
        >
          {t('users.inviteUser')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconMail size={16} stroke={1.7} aria-hidden />} onClick={invite.openOne}>
          {t('users.inviteOne')}
        </Menu.Item>
        <Menu.Item
          leftSection={<IconFileUpload size={16} stroke={1.7} aria-hidden />}
          onClick={invite.openMultiple}
        >
          {t('imports:title')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

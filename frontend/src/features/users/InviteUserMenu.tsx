import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconMail, IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

interface InviteUserMenuProps {
  onInviteOne: () => void;
}

/** InviteUserMenu is the guide's "Invite user" button and the ways to invite. */
export function InviteUserMenu({ onInviteOne }: InviteUserMenuProps) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" width={240} withinPortal withInitialFocusPlaceholder={false}>
      <Menu.Target>
        <Button
          leftSection={<IconUserPlus size={18} stroke={1.7} aria-hidden />}
          rightSection={<IconChevronDown size={16} stroke={1.7} aria-hidden />}
        >
          {t('users.inviteUser')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconMail size={16} stroke={1.7} aria-hidden />} onClick={onInviteOne}>
          {t('users.inviteOne')}
        </Menu.Item>
        {/*
          LEAD: "Invite multiple users" goes here, as a second Menu.Item that
          opens the import dialog (the CSV/Excel import, built in another
          worktree), e.g.
            <Menu.Item leftSection={<IconFileUpload size={16} stroke={1.7} aria-hidden />}
                       onClick={onInviteMany}>{t('users.inviteMany')}</Menu.Item>
          with an onInviteMany prop wired up in UsersPage.
        */}
      </Menu.Dropdown>
    </Menu>
  );
}

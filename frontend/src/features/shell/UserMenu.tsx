import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconCheck, IconChevronUp, IconLanguage, IconSettings } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../api/system';
import { useUpdateLanguage } from '../../api/system';
import classes from './Shell.module.css';

interface UserMenuProps {
  name: string;
  email: string;
  language: string;
  onAdminSettings: () => void;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => Array.from(p)[0]?.toUpperCase() ?? '').join('');
}

/** UserMenu is the administrator's name at the bottom left of the sidebar, and its menu. */
export function UserMenu({ name, email, language, onAdminSettings }: UserMenuProps) {
  const { t } = useTranslation();
  const updateLanguage = useUpdateLanguage();
  const languages: { value: Language; label: string }[] = [
    { value: '', label: t('nav.languageSystem') },
    { value: 'en', label: t('nav.english') },
    { value: 'de', label: t('nav.german') },
  ];

  return (
    <Menu position="top-start" width={260} withinPortal withInitialFocusPlaceholder={false}>
      <Menu.Target>
        <UnstyledButton className={classes.user} aria-label={t('nav.accountMenu', { name })}>
          <Group gap="sm" wrap="nowrap">
            <Avatar color="indigo" radius="xl" size={36}>
              {initials(name)}
            </Avatar>
            <div className={classes.userText}>
              <Text size="sm" fw={600} truncate>
                {name}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {email}
              </Text>
            </div>
            <IconChevronUp size={16} stroke={1.5} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconSettings size={16} aria-hidden />} onClick={onAdminSettings}>
          {t('nav.adminSettings')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Label>
          <Group gap={6}>
            <IconLanguage size={14} aria-hidden />
            {t('nav.language')}
          </Group>
        </Menu.Label>
        {languages.map((l) => (
          <Menu.Item
            key={l.value || 'system'}
            onClick={() => updateLanguage.mutate(l.value)}
            rightSection={
              language === l.value ? <IconCheck size={14} aria-label={t('nav.selected')} /> : null
            }
          >
            {l.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

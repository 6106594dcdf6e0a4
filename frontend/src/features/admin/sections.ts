import { type Icon, IconMail } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { EmailSettingsPage } from '../email/EmailSettingsPage';

/** AdminSection is one section of Admin Settings. */
export interface AdminSection {
  id: string;
  /** labelKey is the i18n key of the section's name, as the guide spells it. */
  labelKey: string;
  icon: Icon;
  Component: ComponentType;
}

/** adminSections lists Admin Settings' sections in the order the sidebar shows them. */
export const adminSections: AdminSection[] = [
  { id: 'email', labelKey: 'email:title', icon: IconMail, Component: EmailSettingsPage },
];

import {
  type Icon,
  IconHistory,
  IconMail,
  IconMailForward,
  IconShieldLock,
  IconTransfer,
  IconUsers,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { AuditPage } from '../audit/AuditPage';
import { ConflictsPage } from '../conflicts/ConflictsPage';
import { EmailSettingsPage } from '../email/EmailSettingsPage';
import { InvitationsPage } from '../invitations/InvitationsPage';
import { RolesPage } from '../roles/RolesPage';
import { SyncSettingsPage } from '../sync/SyncSettingsPage';
import { UsersPage } from '../users/UsersPage';

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
  { id: 'users', labelKey: 'admin.section.users', icon: IconUsers, Component: UsersPage },
  {
    id: 'invitations',
    labelKey: 'admin.section.invitations',
    icon: IconMailForward,
    Component: InvitationsPage,
  },
  { id: 'roles', labelKey: 'admin.section.roles', icon: IconShieldLock, Component: RolesPage },
  { id: 'email', labelKey: 'email:title', icon: IconMail, Component: EmailSettingsPage },
  { id: 'sync', labelKey: 'sync:title', icon: IconTransfer, Component: SyncSettingsPage },
  { id: 'audit', labelKey: 'admin.section.audit', icon: IconHistory, Component: AuditPage },
];

/**
 * adminSubsections are screens inside a section, reached from it (a link,
 * a breadcrumb back) rather than from the sidebar; their id is
 * "<section>/<screen>".
 */
export const adminSubsections: Omit<AdminSection, 'icon'>[] = [
  { id: 'sync/conflicts', labelKey: 'conflicts:title', Component: ConflictsPage },
];

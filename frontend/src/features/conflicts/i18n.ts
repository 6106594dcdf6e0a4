import type { Translations } from '../../i18n/en';

// Texts of Admin Settings → Sync → Conflicts, and of the lists' sync marks
// (i18next namespace "conflicts").
export const conflictsEn = {
  title: 'Conflicts',
  back: 'Sync',
  intro:
    'Changes made on this computer that the directory server refused, because someone changed the same thing first. The lists show what the server has. Discard your change, or apply it again, changed if needed.',
  loadFailed: 'The conflicts cannot be shown',
  empty: {
    title: 'No conflicts',
    body: 'Every change made on this computer is on the server or on its way there.',
  },
  count_one: '{{count}} conflict',
  count_other: '{{count}} conflicts',
  at: 'Changed on {{date}}',
  why: 'Why the server refused it',
  mine: 'What you did',
  server: 'What the server has',
  kind: {
    invitation_create: 'Invited a user',
    invitation_delete: 'Deleted an invitation',
    invitation_resend: 'Resent an invitation',
    invitation_renew_link: 'Made a new invitation link',
    user_change_role: 'Changed a user’s role',
    user_deactivate: 'Deactivated a user',
    user_activate: 'Activated a user',
    user_remove: 'Removed a user',
    password_reset_send: 'Sent a password reset',
    role_create: 'Created a role',
    role_update: 'Changed a role’s name or permissions',
    role_delete: 'Deleted a role',
    other: 'Changed “{{kind}}”',
  },
  entity: {
    user: 'User',
    invitation: 'Invitation',
    role: 'Role',
  },
  field: {
    email: 'Email address',
    name: 'Name',
    role: 'Role',
    status: 'Status',
    permissions: 'Permissions',
  },
  missing: {
    user: 'No such user',
    invitation: 'No such invitation',
    role: 'No such role',
  },
  discard: {
    button: 'Discard mine',
    done: 'Your change was discarded. The server’s version stays.',
  },
  apply: {
    button: 'Apply again',
    title: 'Apply again',
    intro: 'Roster makes this change again as a new change and sends it to the server.',
    confirm: 'Apply again',
    cancel: 'Cancel',
    done: 'The change was made again and will be sent to the server.',
    notRepeatable: 'A new link is made from the Invitations list.',
  },
  mark: {
    conflict: 'In conflict — see Sync → Conflicts',
    waiting: 'Waiting for sync',
  },
};

export const conflictsDe: Translations<typeof conflictsEn> = {
  title: 'Konflikte',
  back: 'Synchronisierung',
  intro:
    'Änderungen auf diesem Computer, die der Verzeichnisserver abgelehnt hat, weil jemand dasselbe zuerst geändert hat. Die Listen zeigen den Stand des Servers. Verwerfen Sie Ihre Änderung oder wenden Sie sie erneut an, bei Bedarf geändert.',
  loadFailed: 'Die Konflikte können nicht angezeigt werden',
  empty: {
    title: 'Keine Konflikte',
    body: 'Jede Änderung auf diesem Computer ist auf dem Server oder auf dem Weg dorthin.',
  },
  count_one: '{{count}} Konflikt',
  count_other: '{{count}} Konflikte',
  at: 'Geändert am {{date}}',
  why: 'Warum der Server sie abgelehnt hat',
  mine: 'Was Sie getan haben',
  server: 'Was der Server hat',
  kind: {
    invitation_create: 'Benutzer eingeladen',
    invitation_delete: 'Einladung gelöscht',
    invitation_resend: 'Einladung erneut gesendet',
    invitation_renew_link: 'Neuen Einladungslink erstellt',
    user_change_role: 'Rolle eines Benutzers geändert',
    user_deactivate: 'Benutzer deaktiviert',
    user_activate: 'Benutzer aktiviert',
    user_remove: 'Benutzer entfernt',
    password_reset_send: 'Passwort-Zurücksetzung gesendet',
    role_create: 'Rolle erstellt',
    role_update: 'Name oder Berechtigungen einer Rolle geändert',
    role_delete: 'Rolle gelöscht',
    other: '„{{kind}}“ geändert',
  },
  entity: {
    user: 'Benutzer',
    invitation: 'Einladung',
    role: 'Rolle',
  },
  field: {
    email: 'E-Mail-Adresse',
    name: 'Name',
    role: 'Rolle',
    status: 'Status',
    permissions: 'Berechtigungen',
  },
  missing: {
    user: 'Kein solcher Benutzer',
    invitation: 'Keine solche Einladung',
    role: 'Keine solche Rolle',
  },
  discard: {
    button: 'Meine verwerfen',
    done: 'Ihre Änderung wurde verworfen. Der Stand des Servers bleibt.',
  },
  apply: {
    button: 'Erneut anwenden',
    title: 'Erneut anwenden',
    intro: 'Roster nimmt diese Änderung als neue Änderung erneut vor und sendet sie an den Server.',
    confirm: 'Erneut anwenden',
    cancel: 'Abbrechen',
    done: 'Die Änderung wurde erneut vorgenommen und wird an den Server gesendet.',
    notRepeatable: 'Einen neuen Link erstellen Sie in der Liste der Einladungen.',
  },
  mark: {
    conflict: 'In Konflikt – siehe Synchronisierung → Konflikte',
    waiting: 'Wartet auf Synchronisierung',
  },
};

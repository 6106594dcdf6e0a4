import { Drawer } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntryKind } from '../../api/users';
import { InvitationPanel } from '../invitations/InvitationPanel';
import { UserPanel } from './UserPanel';

/** Selected is the row whose details are open. */
export interface Selected {
  kind: EntryKind;
  id: string;
}

/** EntryDetails is the panel that opens from a row of the Users list: a member or an invitation. */
export function EntryDetails({ selected, onClose }: { selected: Selected | null; onClose: () => void }) {
  const { t } = useTranslation();
  // Keep showing the last entry while the panel slides out.
  const [shown, setShown] = useState(selected);
  if (selected && selected !== shown) setShown(selected);
  const entry = selected ?? shown;
  return (
    <Drawer
      opened={selected !== null}
      onClose={onClose}
      position="right"
      size={460}
      title={entry?.kind === 'invitation' ? t('details.invitationTitle') : t('details.userTitle')}
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {entry?.kind === 'user' && <UserPanel key={entry.id} id={entry.id} onDone={onClose} />}
      {entry?.kind === 'invitation' && <InvitationPanel key={entry.id} id={entry.id} onDone={onClose} />}
    </Drawer>
  );
}

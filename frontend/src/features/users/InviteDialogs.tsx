import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { InviteMultipleDialog } from '../imports/InviteMultipleDialog';
import { InviteOneDialog } from './InviteOneDialog';

interface InviteDialogs {
  /** openOne shows "Invite one user". */
  openOne: () => void;
  /** openMultiple shows "Invite multiple users". */
  openMultiple: () => void;
}

const Context = createContext<InviteDialogs>({ openOne: () => {}, openMultiple: () => {} });

/**
 * InviteDialogsProvider holds the window's two invite dialogs, so that the
 * Users screen's menu and `roster --open invite-one|invite-multiple` open the same ones.
 */
export function InviteDialogsProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState<'one' | 'multiple' | null>(null);
  const value = useMemo(
    () => ({ openOne: () => setOpen('one'), openMultiple: () => setOpen('multiple') }),
    [],
  );
  return (
    <Context.Provider value={value}>
      {children}
      <InviteOneDialog opened={open === 'one'} onClose={() => setOpen(null)} />
      <InviteMultipleDialog opened={open === 'multiple'} onClose={() => setOpen(null)} />
    </Context.Provider>
  );
}

/** useInviteDialogs opens the invite dialogs. */
export function useInviteDialogs(): InviteDialogs {
  return useContext(Context);
}

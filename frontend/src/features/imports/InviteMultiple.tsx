import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { InviteMultipleDialog } from './InviteMultipleDialog';

interface InviteMultiple {
  /** open shows the "Invite multiple users" dialog. */
  open: () => void;
}

const Context = createContext<InviteMultiple>({ open: () => {} });

/** InviteMultipleProvider holds the one "Invite multiple users" dialog of the window. */
export function InviteMultipleProvider({ children }: { children: ReactNode }) {
  const [opened, setOpened] = useState(false);
  const value = useMemo(() => ({ open: () => setOpened(true) }), []);
  return (
    <Context.Provider value={value}>
      {children}
      <InviteMultipleDialog opened={opened} onClose={() => setOpened(false)} />
    </Context.Provider>
  );
}

/** useInviteMultiple opens the "Invite multiple users" dialog. */
export function useInviteMultiple(): InviteMultiple {
  return useContext(Context);
}

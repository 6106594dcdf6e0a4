import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRetryMail } from '../../api/email';
import { useDeleteInvitation, useResendInvitation } from '../../api/invitations';
import { adminKeys } from '../../api/users';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useFormat } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { useErrorText } from '../../i18n';

interface Target {
  id: string;
  email: string;
  outboxId?: number;
}

/**
 * useInvitationActions gives Delete (after a confirmation that says the link
 * stops working at once), Resend (a new link, valid 7 more days) and Retry
 * (the same email again, after its delivery failed), with their
 * notifications. Render `dialog` once.
 */
export function useInvitationActions(opts: { onDeleted?: () => void } = {}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const del = useDeleteInvitation();
  const resendMutation = useResendInvitation();
  const retryMutation = useRetryMail();
  const qc = useQueryClient();
  const [toDelete, setToDelete] = useState<Target | null>(null);
  const fail = (e: unknown) => notifyError(t('errors.title'), errorText(e));

  const resend = (inv: Target) =>
    resendMutation.mutate(inv.id, {
      onSuccess: (r) =>
        notifySuccess(
          t('invitations.resent', { email: r.email, date: fmt.dateTime(r.expiresAt) }),
          t('invitations.resentTitle'),
        ),
      onError: fail,
    });

  const retry = (inv: Target) => {
    if (!inv.outboxId) return;
    retryMutation.mutate(inv.outboxId, {
      onSuccess: () => {
        notifySuccess(t('invitations.retried', { email: inv.email }));
        void qc.invalidateQueries({ queryKey: adminKeys.invitations });
      },
      onError: fail,
    });
  };

  const confirmDelete = () => {
    if (!toDelete) return;
    del.mutate(toDelete.id, {
      onSuccess: (r) => {
        notifySuccess(t('invitations.deleted', { email: r.email }), t('invitations.deletedTitle'));
        setToDelete(null);
        opts.onDeleted?.();
      },
      onError: (e) => {
        setToDelete(null);
        fail(e);
      },
    });
  };

  const dialog = (
    <ConfirmDialog
      opened={toDelete !== null}
      title={t('invitations.deleteTitle')}
      confirmLabel={t('invitations.deleteConfirm')}
      destructive
      loading={del.isPending}
      onConfirm={confirmDelete}
      onCancel={() => setToDelete(null)}
    >
      {t('invitations.deleteText', { email: toDelete?.email ?? '' })}
    </ConfirmDialog>
  );

  return {
    askDelete: (inv: Target) => setToDelete({ id: inv.id, email: inv.email }),
    resend,
    resendingId: resendMutation.isPending ? resendMutation.variables : undefined,
    retry,
    retryingOutboxId: retryMutation.isPending ? retryMutation.variables : undefined,
    dialog,
  };
}

import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { copyText } from '../../api/clipboard';
import { useRetryMail } from '../../api/email';
import { useDeleteInvitation, useRenewInvitationLink, useResendInvitation } from '../../api/invitations';
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

/** Uncopied is a new link the clipboard refused, shown for the administrator to copy. */
interface Uncopied {
  email: string;
  link: string;
  expiresAt: string;
}

/**
 * useInvitationActions gives Delete (after a confirmation that says the link
 * stops working at once), Resend (a new link, valid 7 more days), Retry
 * (the same email again, after its delivery failed) and Copy a new link
 * (after a confirmation that the link sent earlier stops working: a new link
 * on the clipboard, no email), with their notifications. Render `dialog` once.
 */
export function useInvitationActions(opts: { onDeleted?: () => void } = {}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const del = useDeleteInvitation();
  const resendMutation = useResendInvitation();
  const retryMutation = useRetryMail();
  const renew = useRenewInvitationLink();
  const qc = useQueryClient();
  const [toDelete, setToDelete] = useState<Target | null>(null);
  const [toCopy, setToCopy] = useState<Target | null>(null);
  const [uncopied, setUncopied] = useState<Uncopied | null>(null);
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

  const confirmCopy = () => {
    if (!toCopy) return;
    renew.mutate(toCopy.id, {
      onSuccess: async ({ invitation, link }) => {
        const copied = await copyText(link);
        setToCopy(null);
        if (copied) {
          notifySuccess(
            t('invitations.linkCopied', {
              email: invitation.email,
              date: fmt.dateTime(invitation.expiresAt),
            }),
            t('invitations.linkCopiedTitle'),
          );
        } else {
          setUncopied({ email: invitation.email, link, expiresAt: invitation.expiresAt });
        }
      },
      onError: (e) => {
        setToCopy(null);
        fail(e);
      },
    });
  };

  const dialog = (
    <>
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
      <ConfirmDialog
        opened={toCopy !== null}
        title={t('invitations.copyLinkTitle')}
        confirmLabel={t('invitations.copyLinkConfirm')}
        loading={renew.isPending}
        onConfirm={confirmCopy}
        onCancel={() => setToCopy(null)}
      >
        {t('invitations.copyLinkText', { email: toCopy?.email ?? '' })}
      </ConfirmDialog>
      <Modal
        opened={uncopied !== null}
        onClose={() => setUncopied(null)}
        title={t('invitations.linkNotCopiedTitle')}
        centered
        zIndex={300}
      >
        <Stack gap="md">
          <Text size="sm">
            {t('invitations.linkNotCopied', { date: fmt.dateTime(uncopied?.expiresAt ?? '') })}
          </Text>
          <TextInput
            label={t('invitations.linkLabel', { email: uncopied?.email ?? '' })}
            value={uncopied?.link ?? ''}
            readOnly
            data-autofocus
            onFocus={(e) => e.currentTarget.select()}
          />
          <Group justify="flex-end">
            <Button onClick={() => setUncopied(null)}>{t('app.close')}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );

  return {
    askDelete: (inv: Target) => setToDelete({ id: inv.id, email: inv.email }),
    askCopyLink: (inv: Target) => setToCopy({ id: inv.id, email: inv.email }),
    copyingId: renew.isPending ? renew.variables : undefined,
    resend,
    resendingId: resendMutation.isPending ? resendMutation.variables : undefined,
    retry,
    retryingOutboxId: retryMutation.isPending ? retryMutation.variables : undefined,
    dialog,
  };
}

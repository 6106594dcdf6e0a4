import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { discardImport, type Import, previewImportData, useSendImport } from '../../api/imports';
import { type InviteValues, useInviteUser } from '../../api/invitations';
import { ROLE_USER, useRoles } from '../../api/roles';
import { useMailReadiness } from '../../components/mailReady';
import { notifySuccess } from '../../components/notify';
import { useRoleName } from '../../components/roleName';
import { useServerErrors } from '../../components/useServerErrors';
import { useErrorText } from '../../i18n';
import { useRoleSummary } from '../roles/roleSummary';
import { type Lookalike, LookalikeWarning, lookalikeOf } from './LookalikeWarning';
import { PastedAddressesReview } from './PastedAddressesReview';
import { addressesCSV, splitAddresses } from './pastedAddresses';

interface InviteOneDialogProps {
  opened: boolean;
  onClose: () => void;
}

/**
 * InviteOneDialog is the guide's "Invite one user": an email address, a role,
 * and Send invitation. An address whose domain mixes alphabets (it can look
 * exactly like another one) is refused by the backend until confirmed: the
 * dialog then shows it beside its punycode form with a box to tick. Without a
 * mail server it says so: the invitation is stored and its email waits.
 *
 * Several addresses pasted at once (one per line, or separated by commas or
 * semicolons) go through the checks of an import file's rows: the dialog
 * lists each with what is wrong with it, and sends the valid ones.
 */
export function InviteOneDialog({ opened, onClose }: InviteOneDialogProps) {
  const { t } = useTranslation();
  const roles = useRoles();
  const invite = useInviteUser();
  const summary = useRoleSummary();
  const roleName = useRoleName();
  const noMail = useMailReadiness() === 'notSetUp';
  const [lookalike, setLookalike] = useState<Lookalike | null>(null);
  // The check of several pasted addresses: none, running, or its result.
  const [pasted, setPasted] = useState<Import | null>(null);
  const [checking, setChecking] = useState(false);
  const send = useSendImport();
  const errorText = useErrorText();
  const form = useForm<InviteValues>({
    initialValues: { email: '', role: ROLE_USER, confirmLookalike: false },
    // The warning belongs to the address it was given for: editing the
    // address drops it, and with it the confirmation (sent only beside it).
    onValuesChange: (values, previous) => {
      if (values.email !== previous.email) setLookalike(null);
    },
    validate: {
      email: (v) => (v.trim() ? null : t('errors.email.missing')),
      role: (v) => (v ? null : t('errors.role.missing')),
    },
  });
  const onError = useServerErrors(form);
  const back = () => {
    if (pasted && !send.isSuccess) void discardImport(pasted.id).catch(() => undefined);
    setPasted(null);
    send.reset();
  };
  const close = () => {
    back();
    form.reset();
    invite.reset();
    setLookalike(null);
    onClose();
  };
  const checkPasted = async (addresses: string[], roleId: string) => {
    const role = roles.data?.find((r) => r.id === roleId);
    if (!role) return;
    setChecking(true);
    try {
      const csv = addressesCSV(addresses, role.name);
      setPasted(await previewImportData(new File([csv], 'pasted-addresses.csv', { type: 'text/csv' })));
    } catch (err) {
      form.setFieldError('email', errorText(err));
    } finally {
      setChecking(false);
    }
  };
  const sendPasted = () => {
    if (!pasted) return;
    send.mutate(pasted.id, {
      onSuccess: (r) => {
        if (noMail) {
          notifySuccess(t('invite.manyStored', { count: r.sent }), t('invite.manyStoredTitle'));
        } else {
          notifySuccess(t('invite.manySent', { count: r.sent }), t('invite.manySentTitle'));
        }
        close();
      },
      onError: (err) => form.setFieldError('email', errorText(err)),
    });
  };
  const submit = (values: InviteValues) => {
    const addresses = splitAddresses(values.email);
    if (addresses.length > 1) {
      void checkPasted(addresses, values.role);
      return;
    }
    if (lookalike && !values.confirmLookalike) {
      form.setFieldError('confirmLookalike', t('invite.lookalikeRequired'));
      return;
    }
    invite.mutate(
      {
        ...values,
        email: values.email.trim(),
        confirmLookalike: lookalike !== null && values.confirmLookalike,
      },
      {
        onError: (err) => {
          const found = lookalikeOf(err);
          if (found && form.getValues().email === values.email) {
            setLookalike(found);
            form.setFieldValue('confirmLookalike', false);
          } else if (!found) {
            onError(err);
          }
        },
        onSuccess: (inv) => {
          if (noMail) notifySuccess(t('invite.stored', { email: inv.email }), t('invite.storedTitle'));
          else notifySuccess(t('invite.sent', { email: inv.email }), t('invite.sentTitle'));
          close();
        },
      },
    );
  };
  const selected = roles.data?.find((r) => r.id === form.values.role);

  return (
    <Modal opened={opened} onClose={close} title={t('invite.title')} size="md" centered>
      {pasted ? (
        <Stack gap="md">
          <PastedAddressesReview preview={pasted} />
          {send.isError && (
            <Text size="sm" c="var(--mantine-color-error)">
              {errorText(send.error)}
            </Text>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={back} disabled={send.isPending}>
              {t('invite.manyBack')}
            </Button>
            <Button
              onClick={sendPasted}
              loading={send.isPending}
              disabled={pasted.summary.valid === 0}
              leftSection={<IconSend size={16} stroke={1.7} aria-hidden />}
            >
              {t('invite.manySubmit', { count: pasted.summary.valid })}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form noValidate onSubmit={form.onSubmit(submit)}>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {noMail ? t('invite.introNoMail') : t('invite.intro')}
            </Text>
            <Textarea
              label={t('invite.email')}
              placeholder={t('invite.emailPlaceholder')}
              description={t('invite.manyHint')}
              autoComplete="off"
              autosize
              minRows={1}
              maxRows={6}
              required
              data-autofocus
              key={form.key('email')}
              {...form.getInputProps('email')}
              onKeyDown={(e) => {
                // Enter sends, as in a one-line field; Shift+Enter starts a new line.
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }
              }}
            />
            {lookalike && (
              <LookalikeWarning
                lookalike={lookalike}
                checkbox={form.getInputProps('confirmLookalike', { type: 'checkbox' })}
              />
            )}
            <Select
              label={t('invite.role')}
              required
              allowDeselect={false}
              data={(roles.data ?? []).map((r) => ({ value: r.id, label: roleName(r.id, r.name) }))}
              description={summary(selected)}
              comboboxProps={{ withinPortal: true, zIndex: 400 }}
              key={form.key('role')}
              {...form.getInputProps('role')}
            />
            <Group justify="flex-end" gap="sm" mt="xs">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button
                type="submit"
                loading={invite.isPending || checking}
                leftSection={<IconSend size={16} stroke={1.7} aria-hidden />}
              >
                {t('invite.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

import { Button, Group, Select, Table, TextInput } from '@mantine/core';
import { type KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ImportRow, type ImportSummary, useUpdateImportRow } from '../../api/imports';
import { useErrorText } from '../../i18n';

interface EditRowProps {
  row: ImportRow;
  roles: string[];
  importID: string;
  /** onDone gets the preview's new counts, or nothing when the correction was cancelled. */
  onDone: (s?: ImportSummary) => void;
}

/** EditRow corrects one row and checks it again at once. */
export function EditRow({ row, roles, importID, onDone }: EditRowProps) {
  const { t } = useTranslation('imports');
  const errorText = useErrorText();
  const update = useUpdateImportRow(importID);
  const [email, setEmail] = useState(row.email);
  const [role, setRole] = useState(row.role);
  const [error, setError] = useState('');
  const roleOptions = roles.includes(role) || !role ? roles : [role, ...roles];

  const save = () =>
    update.mutate(
      { row: row.row, email, role },
      { onSuccess: (res) => onDone(res.summary), onError: (e) => setError(errorText(e)) },
    );
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter') save();
    if (e.key === 'Escape') {
      e.stopPropagation();
      onDone();
    }
  };

  return (
    <Table.Tr data-editing>
      <Table.Td>{row.row}</Table.Td>
      <Table.Td>
        <TextInput
          size="xs"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          onKeyDown={onKey}
          aria-label={t('table.editEmail', { row: row.row })}
          error={error || undefined}
          data-autofocus
          autoFocus
        />
      </Table.Td>
      <Table.Td>
        <Select
          size="xs"
          data={roleOptions}
          value={role || null}
          onChange={(v) => setRole(v ?? '')}
          aria-label={t('table.editRole', { row: row.row })}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" onClick={save} loading={update.isPending}>
            {t('table.save')}
          </Button>
          <Button size="xs" variant="default" onClick={() => onDone()}>
            {t('table.cancel')}
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

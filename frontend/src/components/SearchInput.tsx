import { CloseButton, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

interface SearchInputProps {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  w?: number | string;
}

/** SearchInput is a search box with a clear button; its label is for assistive technology. */
export function SearchInput({ label, placeholder, value, onChange, w = 300 }: SearchInputProps) {
  const { t } = useTranslation();
  return (
    <TextInput
      type="search"
      aria-label={label}
      placeholder={placeholder}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      leftSection={<IconSearch size={16} stroke={1.6} aria-hidden />}
      rightSection={
        value ? (
          <CloseButton size="sm" aria-label={t('common.clearSearch')} onClick={() => onChange('')} />
        ) : null
      }
      w={w}
    />
  );
}

import { Group, Pagination, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import classes from './DataTable.module.css';
import { useFormat } from './format';

interface TablePagerProps {
  offset: number;
  limit: number;
  total: number;
  onOffset: (offset: number) => void;
}

/** TablePager says which rows are shown and moves between pages. */
export function TablePager({ offset, limit, total, onOffset }: TablePagerProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  return (
    <div className={classes.footer}>
      <Text size="sm" c="dimmed" aria-live="polite">
        {total === 0
          ? t('common.noRows')
          : t('common.range', {
              from: fmt.number(offset + 1),
              to: fmt.number(Math.min(offset + limit, total)),
              total: fmt.number(total),
            })}
      </Text>
      {pages > 1 && (
        <Group gap="xs">
          <Pagination
            total={pages}
            value={page}
            onChange={(p) => onOffset((p - 1) * limit)}
            size="sm"
            siblings={1}
            getControlProps={(control) => ({
              'aria-label':
                control === 'previous'
                  ? t('common.previousPage')
                  : control === 'next'
                    ? t('common.nextPage')
                    : control === 'first'
                      ? t('common.firstPage')
                      : t('common.lastPage'),
            })}
            getItemProps={(p) => ({ 'aria-label': t('common.page', { page: p }) })}
          />
        </Group>
      )}
    </div>
  );
}

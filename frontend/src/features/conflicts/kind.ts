import type { TFunction } from 'i18next';

/** kindLabel says what a change of kind ("invitation.create") did, in the "conflicts" namespace's words. */
export function kindLabel(t: TFunction<'conflicts'>, kind: string): string {
  return t(`kind.${kind.replace('.', '_')}`, { defaultValue: t('kind.other', { kind }) });
}

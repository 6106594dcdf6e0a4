import { WithBreaks } from '../../components/Breakable';

/**
 * breakPoints splits an address into the pieces a line may end after: after
 * "@", and before each ".", "+", "_" and run of "-", so a long address wraps where
 * a reader expects it to, never in the middle of a word.
 */
export function breakPoints(address: string): string[] {
  return address.split(/(?<=@)|(?=[.+_])|(?<!-)(?=-)/u).filter((piece) => piece !== '');
}

/** EmailText shows an address that wraps only at its separators (see breakPoints). */
export function EmailText({ address }: { address: string }) {
  return (
    <span style={{ overflowWrap: 'normal', wordBreak: 'keep-all' }}>
      <WithBreaks pieces={breakPoints(address)} />
    </span>
  );
}

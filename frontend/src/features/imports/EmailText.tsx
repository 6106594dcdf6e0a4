import { addressBreakPoints, WithBreaks } from '../../components/Breakable';

/** EmailText shows an address that wraps only where addressBreakPoints allows. */
export function EmailText({ address }: { address: string }) {
  return (
    <span style={{ overflowWrap: 'normal', wordBreak: 'keep-all' }}>
      <WithBreaks pieces={addressBreakPoints(address)} />
    </span>
  );
}

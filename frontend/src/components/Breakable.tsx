import { Fragment } from 'react';

/**
 * addressBreakPoints splits an email address into the pieces a line may end
 * after: after its "@" and each ".", and before each "+" and run of "-". A
 * long address then takes a second line where a reader expects it, and
 * never breaks in the middle of a word. This is the one rule for addresses
 * everywhere in the window (tables, the import preview, details).
 */
export function addressBreakPoints(address: string): string[] {
  return address.split(/(?<=[@.])|(?<![+-])(?=[+-])/u).filter((p) => p !== '');
}

/**
 * breakPoints splits a text (an email address, a name) into the pieces a line
 * may end after: an address by addressBreakPoints, other texts after a space
 * or a hyphen.
 */
export function breakPoints(text: string): string[] {
  if (text.lastIndexOf('@') > 0 && !/\s/.test(text)) return addressBreakPoints(text);
  return text.split(/(?<=[\s-])/).filter((p) => p !== '');
}

/** Breakable shows a text with the line-break opportunities of breakPoints. */
export function Breakable({ text }: { text: string }) {
  return <WithBreaks pieces={breakPoints(text)} />;
}

/** WithBreaks shows pieces of one text in order, with a line-break opportunity between each two. */
export function WithBreaks({ pieces }: { pieces: string[] }) {
  return (
    <>
      {pieces.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one text, in order
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {p}
        </Fragment>
      ))}
    </>
  );
}

import { Fragment } from 'react';

/**
 * breakPoints splits a text (an email address, a name) into the pieces a line
 * may end after. An address breaks after its @ or before a dot of its local
 * part, so its domain stays whole; other texts after a space or a hyphen. A
 * long address then takes a second line instead of being cut off, and never
 * breaks in the middle of a word.
 */
export function breakPoints(text: string): string[] {
  const at = text.lastIndexOf('@');
  if (at > 0 && !/\s/.test(text)) {
    // An address: its local part may break before a dot, its domain stays whole.
    const local = text.slice(0, at + 1).split(/(?=\.)/);
    return [...local, text.slice(at + 1)].filter((p) => p !== '');
  }
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

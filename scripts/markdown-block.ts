/**
 * Generated blocks in markdown files: the text between `<!-- NAME:start -->` and
 * `<!-- NAME:end -->` is replaced by generated content, so docs never restate
 * metadata by hand. Shared by `policy-table.ts` and `support-table.ts`.
 */

/** The start and end markers of block `name`. */
export function markers(name: string): { start: string; end: string } {
    return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

/** `text` with block `name` replaced by `content`; throws when the markers are missing. */
export function replaceBlock(text: string, name: string, content: string): string {
    const { start, end } = markers(name);
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a < 0 || b < a) {
        throw new Error(`no ${start} ... ${end} block`);
    }
    return `${text.slice(0, a + start.length)}\n${content}\n${text.slice(b)}`;
}

/** A markdown table cell: pipes escaped, newlines flattened. */
export const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

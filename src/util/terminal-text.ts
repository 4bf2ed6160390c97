// Error and warning lines echo what a compose file or a command line said: a service name, a value, a
// path. That text is untrusted. Printed raw, an ESC sequence in it could recolour, move or clear the
// user's terminal (or set its title and clipboard), and a 100 KB value would bury the message. Every
// line cmp prints about an error passes through here once, at the point it is printed.

/** A run of characters without whitespace longer than this is cut (a value, a path, a name). */
export const MAX_WORD = 200;
/** A whole line longer than this is cut in the middle, keeping its start and end. */
export const MAX_LINE = 1000;

const ELLIPSIS = '…';

// C0 controls, DEL, C1 controls, and the Unicode line separators and bidirectional overrides that can
// make a terminal show text in another order than it was written.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Control characters written as visible escapes (`\x1b`, `\n`, `\u202e`). */
export function escapeControls(text: string, keepNewlines = false): string {
  return text.replace(CONTROL, (c) => (keepNewlines && c === '\n' ? c : visible(c)));
}

function cutWord(word: string): string {
  const tail = 40;
  return `${word.slice(0, MAX_WORD - tail - 1)}${ELLIPSIS}${word.slice(-tail)}`;
}

/** One line safe to print on a terminal: controls escaped, long values and the line itself bounded. */
export function terminalLine(text: string): string {
  // Cut before escaping, so a huge value is not escaped in full only to be thrown away.
  const rough =
    text.length > 4 * MAX_LINE ? `${text.slice(0, 2 * MAX_LINE)}${ELLIPSIS}${text.slice(-MAX_LINE)}` : text;
  const words = escapeControls(rough).replace(new RegExp(`\\S{${MAX_WORD + 1},}`, 'g'), cutWord);
  if (words.length <= MAX_LINE) return words;
  const keepEnd = Math.floor(MAX_LINE / 4);
  return `${words.slice(0, MAX_LINE - keepEnd - 1)}${ELLIPSIS}${words.slice(-keepEnd)}`;
}

/** Several lines (commander's usage errors): each line made safe, newlines kept. */
export function terminalText(text: string): string {
  return text
    .split('\n')
    .map((l) => terminalLine(l))
    .join('\n');
}

// A small well-formedness check for the SVG we write: balanced tags, quoted attributes, no stray `<` or
// `&`. Not a full XML parser; enough to catch a broken renderer without a DOM in the tests.

const NAME = '[A-Za-z_][\\w.:-]*';
const ATTR = `\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*')`;
const TAG = new RegExp(`<(/?)(${NAME})((?:${ATTR})*)\\s*(/?)>`, 'y');
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = xml.startsWith('<?xml') ? xml.indexOf('?>') + 2 : 0;
  while (i < xml.length) {
    const c = xml[i];
    if (c === '<') {
      TAG.lastIndex = i;
      const m = TAG.exec(xml);
      if (!m) {
        problems.push(`malformed tag at ${i}: ${xml.slice(i, i + 40)}`);
        break;
      }
      const [, close, name, , selfClose] = m;
      if (close) {
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}> at ${i}`);
      } else if (!selfClose) {
        if (stack.length === 0) roots++;
        stack.push(name as string);
      } else if (stack.length === 0) roots++;
      i = TAG.lastIndex;
    } else if (c === '&') {
      ENTITY.lastIndex = i;
      if (!ENTITY.exec(xml)) problems.push(`bare & at ${i}`);
      i++;
    } else {
      if (stack.length === 0 && !/\s/.test(c as string)) problems.push(`text outside the root at ${i}`);
      i++;
    }
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

// `cmp image|network|volume ACTION`: picks the action from its table, with docker's `list`/`remove` aliases,
// and gives one usage error, listing the actions in the table's order, for a missing or unknown one.
import { UsageError } from '../../util/errors.js';

const ALIASES: Readonly<Record<string, string>> = { list: 'ls', remove: 'rm' };

export function dispatch(
  kind: string,
  action: string | undefined,
  actions: Record<string, () => Promise<number>>,
): Promise<number> {
  const name = action === undefined ? undefined : (ALIASES[action] ?? action);
  if (name !== undefined && Object.hasOwn(actions, name)) return (actions[name] as () => Promise<number>)();
  throw new UsageError(action ? `unknown ${kind} command "${action}"` : `missing ${kind} command`, {
    hint: `use one of: ${Object.keys(actions).join(', ')}`,
    exitCode: 2,
  });
}

// AlertProvider checks a schema cannot express: which fields each Slack mode reads. A Slack webhook
// URL carries its token, so it may come only from a secret; a field the plugin would ignore is an error.
import { fieldIssue, type Issue } from './issue.js';
import { type Path, valueAt } from './path.js';

const issue = (field: Path, message: string, hint?: string): Issue => fieldIssue(field, message, hint, 'key');

/** The issues of a schema-valid AlertProvider spec: `mode` is Slack's, and each mode's required fields. */
export function alertProviderIssues(spec: unknown): Issue[] {
  const type = valueAt(spec, ['type']);
  const mode = valueAt(spec, ['mode']);
  const has = (key: string) => valueAt(spec, [key]) !== undefined;
  if (type !== 'slack')
    return mode === undefined
      ? []
      : [issue(['spec', 'mode'], `mode applies to type slack only, not ${type}`)];
  const issues: Issue[] = [];
  if (mode === 'webhook') {
    if (has('address'))
      issues.push(
        issue(
          ['spec', 'address'],
          'a Slack incoming webhook URL carries its token and must not be in a pipeline file',
          'put the URL in a secret and name it in secretRef (the worker resolves it)',
        ),
      );
    if (!has('secretRef'))
      issues.push(
        issue(['spec'], 'mode webhook needs secretRef: the secret holding the incoming webhook URL'),
      );
    return issues;
  }
  if (has('address'))
    issues.push(
      issue(
        ['spec', 'address'],
        'slack in api mode posts to the Slack Web API with a bot token; address is not used',
        'for an incoming webhook URL set mode: webhook and keep the URL in the secret secretRef names',
      ),
    );
  if (!has('channel'))
    issues.push(
      issue(['spec'], 'slack in api mode needs channel (a channel id such as C0123ABCD, or #name)'),
    );
  if (!has('secretRef'))
    issues.push(issue(['spec'], 'slack in api mode needs secretRef: the secret holding the bot token'));
  return issues;
}

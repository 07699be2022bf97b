import { UsageError } from './errors';
import type { Io } from './io';
import { serverApi, type ServerApiOptions } from './server-api';

type Text = { en: string; fr?: string };
interface DeclaredCommand {
  name: string;
  description: Text;
  arguments: { name: string; description?: Text; required: boolean }[];
  options: { name: string; description?: Text; value: boolean }[];
}

const usage = (plugin: string, command: DeclaredCommand) =>
  `rapport ${plugin} ${command.name}${command.arguments.map((argument) => (argument.required ? ` <${argument.name}>` : ` [${argument.name}]`)).join('')}${command.options.map((option) => ` [--${option.name}${option.value ? ' <value>' : ''}]`).join('')}`;

function help(plugin: string, commands: DeclaredCommand[]): string {
  if (commands.length === 0) return `The plugin ${plugin} has no command.\n`;
  const lines = [`Commands of the plugin ${plugin} (through the server at RAPPORT_URL, as RAPPORT_API_KEY's user):`, ''];
  for (const command of commands) {
    lines.push(`  ${usage(plugin, command)}`, `      ${command.description.en}`);
    for (const option of command.options) if (option.description) lines.push(`      --${option.name}: ${option.description.en}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The CLI's own `--url` and `--api-key` among a command's words. */
function serverOptions(words: string[]): ServerApiOptions {
  const found: ServerApiOptions = {};
  words.forEach((word, index) => {
    const [name, inline] = word.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? words[index + 1];
    if (name === '--url') found.url = value;
    if (name === '--api-key') found.apiKey = value;
  });
  return found;
}

/** `--name value`, `--name=value` and flags, as the command declares them; `--url` and `--api-key` are the CLI's. */
function parse(plugin: string, command: DeclaredCommand, words: string[]) {
  const args: string[] = [];
  const options: Record<string, string | true> = {};
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (!word.startsWith('--')) {
      args.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = words[++index];
      if (next === undefined) throw new UsageError(`--${name} takes a value (${usage(plugin, command)})`);
      return next;
    };
    if (name === 'url' || name === 'api-key') value(); // the CLI's (serverOptions)
    else if (command.options.find((option) => option.name === name)?.value === false) options[name] = true;
    else options[name] = value(); // unknown options go to the server, which names them
  }
  return { args, options };
}

/**
 * `rapport <plugin-id> <command> [arguments] [--options]`: a command a plugin declares, run by the
 * server as the API key's user; prints what it answers and exits with its code. `rapport <plugin-id>`
 * lists the plugin's commands.
 */
export async function runPluginCommand(argv: string[], io: Io): Promise<number> {
  const [plugin, name, ...rest] = argv as [string, string | undefined, ...string[]];
  const server = serverOptions(rest);
  // Without a key this cannot be a plugin's command: most likely a typo.
  if (!server.apiKey && !io.env.RAPPORT_API_KEY) throw new UsageError(`unknown command '${plugin}' (see rapport --help; a plugin's command, rapport <plugin-id> <command>, needs RAPPORT_API_KEY)`);
  const api = serverApi(io, server);
  const notEnabled = () => `unknown command '${plugin}': no enabled plugin "${plugin}" on ${api.base} (see rapport --help, rapport plugins list)`;
  const { data: commands } = await api.call<{ data: DeclaredCommand[] }>(`/api/v1/plugins/${encodeURIComponent(plugin)}/commands`, {}, notEnabled);
  if (!name || name === '--help' || name === '-h') {
    io.stdout(help(plugin, commands));
    return name ? 0 : 2;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) throw new UsageError(`the plugin ${plugin} has no command "${name}"${commands.length ? `: ${commands.map((candidate) => candidate.name).join(', ')}` : ''}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(help(plugin, [command]));
    return 0;
  }
  const { args, options } = parse(plugin, command, rest);
  const answer = await api.call<{ text: string; data: unknown; exitCode: number }>(`/api/v1/plugins/${encodeURIComponent(plugin)}/commands/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ args, options }),
  });
  if (answer.text) io.stdout(answer.text.endsWith('\n') ? answer.text : `${answer.text}\n`);
  else if (answer.data !== null && answer.data !== undefined) io.stdout(`${JSON.stringify(answer.data, null, 2)}\n`);
  return answer.exitCode;
}

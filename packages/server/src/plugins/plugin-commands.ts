import { problems } from '@rapport/core';
import type { CommandInput, CommandOutput } from '@rapport/sdk/server';
import type { PluginManifest } from '@rapport/sdk/manifest';

type DeclaredCommand = PluginManifest['commands'][number];

/**
 * A CLI command's request (`{ args: [...], options: {...} }`) checked against its declaration: each
 * argument named, none missing or extra, only declared options, values where they take one. The
 * caller's 422 names what is wrong (`args.object`, `options.stale-days`) before the plugin's code runs.
 */
export function commandInput(command: DeclaredCommand, body: unknown): CommandInput {
  const invalid = (field: string, code: string, message: string) => problems.validation([{ field, code, message }], `The input of the command "${command.name}" is not valid`);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'invalid_type', 'must be an object { args, options }');
  const { args = [], options = {}, ...rest } = body as { args?: unknown; options?: unknown };
  const extra = Object.keys(rest);
  if (extra.length) throw invalid(extra[0]!, 'unknown_field', 'is not part of a command (args, options)');
  if (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string' || arg.length > 10_000)) throw invalid('args', 'invalid_type', 'must be a list of texts');
  if (args.length > command.arguments.length) throw invalid('args', 'too_many', `takes at most ${command.arguments.length} argument(s): ${command.arguments.map((argument) => argument.name).join(', ') || 'none'}`);
  const named: Record<string, string> = {};
  command.arguments.forEach((argument, index) => {
    const value = args[index] as string | undefined;
    if (value === undefined) {
      if (argument.required) throw invalid(`args.${argument.name}`, 'required', 'is required');
    } else named[argument.name] = value;
  });
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw invalid('options', 'invalid_type', 'must be an object');
  const given: Record<string, string | true> = {};
  for (const [name, value] of Object.entries(options as Record<string, unknown>)) {
    const option = command.options.find((candidate) => candidate.name === name);
    if (!option) throw invalid(`options.${name}`, 'unknown_option', `is not an option of ${command.name}${command.options.length ? ` (${command.options.map((candidate) => `--${candidate.name}`).join(', ')})` : ''}`);
    if (option.value && (typeof value !== 'string' || value.length > 10_000)) throw invalid(`options.${name}`, 'invalid_type', 'takes a value');
    if (!option.value && value !== true) throw invalid(`options.${name}`, 'invalid_type', 'is a flag: give it without a value');
    given[name] = value as string | true;
  }
  return { args: named, options: given };
}

/** What the CLI prints and exits with. */
export function commandAnswer(output: CommandOutput): { text: string; data: unknown; exitCode: number } {
  if (typeof output === 'string') return { text: output, data: null, exitCode: 0 };
  const exitCode = output.exitCode ?? 0;
  if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 125) throw new Error(`its command answered the exit code ${String(exitCode)} (0 to 125)`);
  return { text: output.text ?? '', data: output.data ?? null, exitCode };
}

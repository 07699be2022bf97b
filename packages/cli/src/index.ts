export { type AdminChannel, openChannel } from './channel';
export { CliError, describeFailure, problemMessage, UsageError } from './errors';
export { type Io, processIo } from './io';
export { createProgram, run } from './program';

import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  url: string;
  /** Every message received, parsed. */
  received: ParsedMail[];
  /** The credentials clients signed in with (to check what a sender really used). */
  logins: { user: string; password: string }[];
  /** While true, every recipient is refused (a temporary failure, 451). */
  refusing: boolean;
  /** Resolves with the next message received. */
  next(): Promise<ParsedMail>;
  close(): Promise<void>;
}

/** A real SMTP server on a random local port that keeps what it receives (smtp-server + mailparser). */
export async function startSmtpSink(): Promise<SmtpSink> {
  const waiting: ((mail: ParsedMail) => void)[] = [];
  const sink: Omit<SmtpSink, 'url' | 'close' | 'next'> = { received: [], logins: [], refusing: false };
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      sink.logins.push({ user: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username });
    },
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (sink.refusing) {
        const error = Object.assign(new Error('mailbox unavailable, try later'), { responseCode: 451 });
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          sink.received.push(mail);
          waiting.shift()?.(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(sink, {
    url: `smtp://127.0.0.1:${port}`,
    next: () => new Promise<ParsedMail>((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

// A real SMTP server on 127.0.0.1 that keeps what it receives, parsed (mailparser).
import { simpleParser, type ParsedMail } from "mailparser";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface SmtpSink {
  port: number;
  messages: ParsedMail[];
  /** Recipients (RCPT TO) the server refuses permanently, to play a bad address. */
  reject: Set<string>;
  /** While set, every transaction is answered with this reply at MAIL FROM (e.g. 421 or 451, or 554). */
  failWith: { code: number; message: string } | null;
  /** Called as each message is accepted (after the server's 250). */
  onMessage: ((message: ParsedMail) => void) | null;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const reject = new Set<string>();
  const sink = { failWith: null as SmtpSink["failWith"], onMessage: null as SmtpSink["onMessage"] };
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(null, { user: "sink" });
    },
    onMailFrom(_address, _session, callback) {
      const failure = sink.failWith;
      if (failure) return callback(Object.assign(new Error(failure.message), { responseCode: failure.code }));
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (reject.has(address.address)) return callback(Object.assign(new Error("5.1.1 No such user"), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push(parsed);
          callback();
          sink.onMessage?.(parsed);
        })
        .catch(callback);
    },
  });
  // A client that dies mid-session (the fault tests kill the sender) resets its connection; that is
  // the client's problem, not the sink's.
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    reject,
    get failWith() {
      return sink.failWith;
    },
    set failWith(value) {
      sink.failWith = value;
    },
    get onMessage() {
      return sink.onMessage;
    },
    set onMessage(value) {
      sink.onMessage = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

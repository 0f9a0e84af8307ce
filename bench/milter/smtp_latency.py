#!/usr/bin/env python3
"""SMTP latency through Postfix with and without the tandem milter (bench/milter/run.sh runs this).

Sends N messages addressed to the assistant to each Postfix listener (one with tandem's milter, one with
the bare baseline milter when --bare-port is given, one without any), message by message in turn (which
listener goes first rotates), then M messages not for the assistant (to dana only) the same way. Each listener has one persistent SMTP connection; each
message is one transaction on it (MAIL, RCPT, DATA). Timed with time.perf_counter: from sending the DATA
command to reading the final reply ("DATA->250"), and the whole transaction from MAIL FROM ("MAIL->250").

The messages: every other one a sample .eml (the fixtures given, in turn), the others a generated
scheduling mail whose text is one of the time cases (shared/eval/time/dev.jsonl: the sentence, its sender's
zone offset in Date, a greeting and sign-off in its language, every third one with a quoted earlier
message). Every message gets a fresh Message-ID, so that each is a new case for tandem. The same message
(apart from its Message-ID) goes to both listeners.

  smtp_latency.py --milter-port P [--bare-port B] --plain-port Q [-n N] [--pass-n M] [--texts dev.jsonl] [--maildir DIR]
                  [--json OUT] FIXTURE.eml...
With --maildir (Postfix's virtual_mailbox_base) it waits for every message to be delivered and counts the
X-Tandem-Case headers in the assistant's mail.
"""
import argparse
import datetime
import email.utils
import json
import math
import os
import re
import smtplib
import statistics
import sys
import time

ASSISTANT = "assistant@tandem.test"
DANA = "dana@tandem.test"

# Senders by locale: the people directory's (known zone and locale) and some it does not know (inferred).
SENDERS = {
    "en_US": [("Sam Carter", "sam@example.com"), ("Morgan Lee", "morgan@example.net")],
    "en_GB": [("Oliver Hughes", "oliver@example.co.uk")],
    "de_DE": [("Jonas Weber", "jonas@example.de")],
    "fr_FR": [("Camille Martin", "camille@example.fr")],
    "es_ES": [("Lucía García", "lucia@example.es")],
}
GREETING = {"en": "Hi Dana,", "de": "Hallo Dana,", "fr": "Bonjour Dana,", "es": "Hola Dana:"}
SIGN_OFF = {"en": "Thanks,", "de": "Viele Grüße", "fr": "Merci,", "es": "Gracias,"}
SUBJECT = {"en": "Re: Meeting", "de": "Re: Termin", "fr": "Re: Réunion", "es": "Re: Reunión"}
QUOTE_HEADER = {"en": "On {date}, Dana Kim <dana@example.com> wrote:",
                "de": "Am {date} schrieb Dana Kim <dana@example.com>:",
                "fr": "Le {date}, Dana Kim <dana@example.com> a écrit :",
                "es": "El {date}, Dana Kim <dana@example.com> escribió:"}
QUOTED = {"en": "Could we find a time to go over the plan together?",
          "de": "Können wir einen Termin finden, um den Plan durchzugehen?",
          "fr": "Pourrions-nous trouver un moment pour revoir le plan ensemble ?",
          "es": "¿Podemos buscar un momento para revisar el plan juntos?"}


def generated_messages(texts_file, fallback_dir, for_assistant):
    """(envelope sender, raw bytes) of scheduling mails, one per time case (or per example text): to the
    assistant (To, or Cc beside dana), or, not for the assistant, to dana alone."""
    out = []
    cases = []
    if texts_file and os.path.isfile(texts_file):
        with open(texts_file, encoding="utf-8") as f:
            cases = [json.loads(line) for line in f if line.strip()]
    else:
        for name in sorted(os.listdir(fallback_dir)):
            if name.endswith(".txt"):
                with open(os.path.join(fallback_dir, name), encoding="utf-8") as f:
                    cases.append({"text": f.read().strip(), "sent": None, "locale": "en_US", "plain": True})
    for i, c in enumerate(cases):
        locale = c["locale"] if c["locale"] in SENDERS else "en_US"
        lang = locale[:2]
        name, addr = SENDERS[locale][i % len(SENDERS[locale])]
        if c.get("sent"):
            sent = datetime.datetime.fromisoformat(c["sent"])
        else:
            sent = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        if c.get("plain"):  # an example text is a whole body already
            body = c["text"]
        else:
            body = f"{GREETING[lang]}\n\n{c['text']}\n\n{SIGN_OFF[lang]}\n{name.split()[0]}"
        if i % 3 == 2:
            earlier = (sent - datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
            body += "\n\n" + QUOTE_HEADER[lang].format(date=earlier) + "\n> " + QUOTED[lang] + "\n>\n> Dana"
        to, cc = (DANA, "") if not for_assistant else (ASSISTANT, "") if i % 2 == 0 else (DANA, ASSISTANT)
        headers = [f"From: {email.utils.formataddr((name, addr))}", f"To: {to}"] + ([f"Cc: {cc}"] if cc else []) + [
            f"Subject: {SUBJECT[lang]}", f"Date: {email.utils.format_datetime(sent)}",
            "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
        raw = ("\r\n".join(headers) + "\r\n\r\n" + body.replace("\n", "\r\n") + "\r\n").encode("utf-8")
        out.append((addr, raw))
    return out


_MESSAGE_ID = re.compile(rb"^message-id[ \t]*:", re.IGNORECASE)


def with_message_id(raw, mid):
    """The message with its Message-ID header (folded lines included) replaced by <mid>, or given one."""
    end = len(raw)
    for sep in (b"\r\n\r\n", b"\n\n"):
        at = raw.find(sep)
        if at >= 0 and at < end:
            end = at
    head, rest = raw[:end], raw[end:]
    lines = head.splitlines(keepends=True)
    kept, dropping = [], False
    for line in lines:
        if dropping and line[:1] in (b" ", b"\t"):
            continue
        dropping = bool(_MESSAGE_ID.match(line))
        if not dropping:
            kept.append(line)
    eol = b"\r\n" if b"\r\n" in head or not head else b"\n"
    return b"Message-ID: <" + mid.encode() + b">" + eol + b"".join(kept) + rest


def percentile(values, p):
    """Nearest-rank percentile: the smallest value with at least p% of the values at or below it."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


class Listener:
    def __init__(self, name, port):
        self.name, self.port = name, port
        self.conn = None
        self.data_ms, self.txn_ms = [], []
        self.refused, self.reconnects = 0, 0

    def send(self, envelope_from, rcpts, raw):
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = smtplib.SMTP("127.0.0.1", self.port, timeout=120)
                    self.conn.ehlo()
                t0 = time.perf_counter()
                self.conn.mail(envelope_from)
                for r in rcpts:
                    self.conn.rcpt(r)
                t1 = time.perf_counter()
                code, _ = self.conn.data(raw)
                t2 = time.perf_counter()
                if code != 250:
                    self.refused += 1
                self.data_ms.append((t2 - t1) * 1000)
                self.txn_ms.append((t2 - t0) * 1000)
                return
            except smtplib.SMTPResponseException:
                self.refused += 1
                self.conn.rset()
                return
            except (smtplib.SMTPServerDisconnected, OSError):
                self.conn = None
                self.reconnects += 1
                if attempt == 1:
                    raise

    def close(self):
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                pass


def run_round(label, n, messages, rcpt, ports, tag):
    """ports: [(listener name, port)], tandem's first and the one without a milter last."""
    listeners = [Listener(name, port) for name, port in ports]
    start = time.perf_counter()
    for i in range(n):
        envelope_from, raw = messages[i % len(messages)]
        for k in range(len(listeners)):
            j = (i + k) % len(listeners)
            listeners[j].send(envelope_from, [rcpt], with_message_id(raw, f"bench-{tag}-{j}-{i}.{os.getpid()}@tandem.test"))
    wall = time.perf_counter() - start
    for l in listeners:
        l.close()
    return {"label": label, "n": n, "wall_s": wall, "listeners": listeners}


def report(r):
    ls = r["listeners"]
    print(f"{r['label']}: {r['n']} messages to each of {len(ls)} listeners, in turn; one persistent SMTP "
          f"connection per listener; {len(ls) * r['n'] / r['wall_s']:.1f} messages/s over all (one client, in series)")
    print(f"  {'listener':<22}{'DATA->250 median':>18}{'p99':>11}{'mean':>11}{'MAIL->250 median':>18}"
          f"{'p99':>11}{'messages/s':>12}{'refused':>9}")
    for l in ls:
        rate = len(l.txn_ms) / (sum(l.txn_ms) / 1000) if l.txn_ms else 0.0
        print(f"  {l.name:<22}{statistics.median(l.data_ms):>15.2f} ms{percentile(l.data_ms, 99):>8.2f} ms"
              f"{statistics.fmean(l.data_ms):>8.2f} ms{statistics.median(l.txn_ms):>15.2f} ms"
              f"{percentile(l.txn_ms, 99):>8.2f} ms{rate:>12.1f}{l.refused:>9}")

    def diff(what, a, b):
        paired = [x - y for x, y in zip(a.data_ms, b.data_ms)]
        print(f"  {what} (DATA->250): median {statistics.median(a.data_ms) - statistics.median(b.data_ms):+.2f} ms, "
              f"p99 {percentile(a.data_ms, 99) - percentile(b.data_ms, 99):+.2f} ms; "
              f"median of the per-message differences {statistics.median(paired):+.2f} ms")
    diff("added by tandem's milter", ls[0], ls[-1])
    if len(ls) == 3:
        diff("added by the bare milter (protocol only)", ls[1], ls[-1])
        diff("tandem's milter over the bare one", ls[0], ls[1])


def wait_delivered(maildir, want, timeout):
    """Waits until the Maildirs hold `want` = {mailbox: count} messages; returns the counts."""
    deadline = time.monotonic() + timeout
    while True:
        got = {box: len(os.listdir(os.path.join(maildir, box, "new"))) if os.path.isdir(os.path.join(maildir, box, "new")) else 0
               for box in want}
        if all(got[b] >= want[b] for b in want) or time.monotonic() > deadline:
            return got
        time.sleep(0.5)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--milter-port", type=int, required=True)
    ap.add_argument("--bare-port", type=int, help="the listener with the bare baseline milter")
    ap.add_argument("--plain-port", type=int, required=True)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--pass-n", type=int, default=200)
    ap.add_argument("--texts", help="time cases (jsonl) for the generated mail")
    ap.add_argument("--examples", required=True, help="examples/mail: bare texts when --texts is absent")
    ap.add_argument("--maildir")
    ap.add_argument("--json", help="write every timing here")
    ap.add_argument("fixtures", nargs="+")
    a = ap.parse_args()

    samples = []
    for f in a.fixtures:
        with open(f, "rb") as fh:
            samples.append(("sender@example.org", fh.read()))
    def mix(generated):  # sample, generated, sample, ...
        return [(samples if i % 2 == 0 else generated)[(i // 2) % len(samples if i % 2 == 0 else generated)]
                for i in range(2 * max(len(samples), len(generated)))]
    generated = generated_messages(a.texts, a.examples, True)
    to_assistant, to_dana = mix(generated), mix(generated_messages(a.texts, a.examples, False))
    print(f"messages: {len(samples)} sample .eml and {len(generated)} generated scheduling mails "
          f"({'the time cases of ' + os.path.basename(a.texts) if a.texts and os.path.isfile(a.texts) else 'the example texts'}), "
          f"taken in turn; a fresh Message-ID each", flush=True)

    ports = [("tandem milter", a.milter_port)] + ([("bare milter", a.bare_port)] if a.bare_port else []) + [
        ("no milter", a.plain_port)]
    rounds = [run_round("to the assistant", a.n, to_assistant, ASSISTANT, ports, "a")]
    report(rounds[0])
    if a.pass_n > 0:
        rounds.append(run_round("not for the assistant (to dana only)", a.pass_n, to_dana, DANA, ports, "d"))
        report(rounds[1])

    if a.maildir:
        want = {"assistant": len(ports) * a.n, "dana": len(ports) * a.pass_n}
        got = wait_delivered(a.maildir, want, 300)
        tagged = 0
        new = os.path.join(a.maildir, "assistant", "new")
        for name in os.listdir(new) if os.path.isdir(new) else []:
            with open(os.path.join(new, name), "rb") as fh:
                head = fh.read().split(b"\n\n", 1)[0]
            tagged += b"\nX-Tandem-Case: m-" in b"\n" + head
        print(f"delivered: assistant {got['assistant']} of {want['assistant']}, dana {got['dana']} of {want['dana']}; "
              f"{tagged} of the {a.n} sent to the assistant through tandem's milter carry an X-Tandem-Case header")
        if any(got[b] < want[b] for b in want):
            print("run: error: not every message was delivered", file=sys.stderr)
            return 1

    if a.json:
        with open(a.json, "w") as fh:
            json.dump([{"label": r["label"], "n": r["n"], "wall_s": r["wall_s"],
                        "listeners": {l.name: {"data_ms": l.data_ms, "txn_ms": l.txn_ms, "refused": l.refused}
                                      for l in r["listeners"]}} for r in rounds], fh)
    refused = sum(l.refused for r in rounds for l in r["listeners"])
    if refused:
        print(f"run: error: {refused} messages refused", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

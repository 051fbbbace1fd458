#!/usr/bin/python3
# smtp-sink.py: a real SMTP server for the campaign tests and bench (Debian's python3-aiosmtpd).
#
#   smtp-sink.py --store DIR [--port N] [--auth USER:PASSWORD] [--starttls CERT KEY]
#                [--tls CERT KEY] [--drop-after K] [--count-only]
#
# Listens on 127.0.0.1 (port 0: a free one) and prints "READY PORT" once it accepts connections.
# Every message it takes is written to DIR as NNNNNN.eml (the bytes received) with NNNNNN.rcpt
# (the envelope: MAIL FROM, then one RCPT TO a line); --count-only keeps only the count, in
# DIR/count, for the bench.  --auth requires AUTH (PLAIN or LOGIN) with that user and password,
# only after TLS.  --starttls offers STARTTLS and requires it; --tls is implicit TLS (smtps).
# --drop-after K: the (K+1)th message is stored, then the connection is cut without an answer —
# the client cannot know it was delivered (once; later connections behave).
# Stops on SIGTERM or when standard input closes.
import argparse
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, store, drop_after, count_only):
        self.store = store
        self.drop_after = drop_after
        self.count_only = count_only
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        if self.count_only:
            with open(os.path.join(self.store, "count.tmp"), "w") as f:
                f.write(str(n))
            os.replace(os.path.join(self.store, "count.tmp"), os.path.join(self.store, "count"))
        else:
            base = os.path.join(self.store, "%06d" % n)
            with open(base + ".rcpt.tmp", "w") as f:
                f.write(envelope.mail_from + "\n")
                for r in envelope.rcpt_tos:
                    f.write(r + "\n")
            with open(base + ".eml", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            os.replace(base + ".rcpt.tmp", base + ".rcpt")
        if self.drop_after is not None and n == self.drop_after + 1:
            self.drop_after = None
            server.transport.abort()
            return "421 gone"
        return "250 OK"


def make_context(cert, key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--store", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--auth")
    p.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--drop-after", type=int)
    p.add_argument("--count-only", action="store_true")
    a = p.parse_args()

    os.makedirs(a.store, exist_ok=True)
    kwargs = {}
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
                  and auth_data.password.decode() == password)
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
    if a.starttls:
        kwargs.update(tls_context=make_context(*a.starttls), require_starttls=True)
    if a.tls:
        kwargs.update(ssl_context=make_context(*a.tls))
        if a.auth:
            kwargs["auth_require_tls"] = False  # the whole connection is TLS already

    # Port 0: ask the kernel for a free one, then give it to the server.
    port = a.port
    if port == 0:
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    controller = Controller(Sink(a.store, a.drop_after, a.count_only), hostname="127.0.0.1", port=port,
                            data_size_limit=None, **kwargs)
    controller.start()
    print("READY %d" % port, flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()

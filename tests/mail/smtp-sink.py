#!/usr/bin/python3
"""A real SMTP server for the mail tests (Debian's python3-aiosmtpd): listens on
127.0.0.1:PORT (0 picks a free one; the port is printed on stdout as "port N") and
writes every message it accepts to FOLDER as NNNNNN.eml, the envelope recipients
first as "X-Envelope-To:" lines, atomically (a temporary name, then a rename), before
it answers 250.  Runs until SIGTERM or SIGINT.

The two signals are blocked before any thread starts and taken with sigwait in the
main thread: a handler would let the kernel deliver SIGTERM to the server's thread
while the main thread sleeps in a lock it never leaves, and the sink would outlive
its test.

Usage: smtp-sink.py FOLDER PORT
"""
import asyncio
import itertools
import os
import signal
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        existing = [int(n[:6]) for n in os.listdir(folder) if n.endswith('.eml')]
        self.numbers = itertools.count(max(existing, default=0) + 1)

    async def handle_DATA(self, server, session, envelope):
        number = next(self.numbers)
        head = ''.join(f'X-Envelope-To: {r}\r\n' for r in envelope.rcpt_tos)
        head += f'X-Envelope-From: {envelope.mail_from}\r\n'
        data = head.encode() + envelope.original_content
        tmp = os.path.join(self.folder, f'.{number:06d}.tmp')
        with open(tmp, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(self.folder, f'{number:06d}.eml'))
        return '250 Message accepted for delivery'


def main():
    stops = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    folder, port = sys.argv[1], int(sys.argv[2])
    os.makedirs(folder, exist_ok=True)
    if port == 0:
        # The controller checks its server by connecting to the port, so it needs a
        # real one: ask the kernel for a free port first.
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            port = probe.getsockname()[1]
    controller = Controller(Sink(folder), hostname='127.0.0.1', port=port)
    controller.start()
    print(f'port {port}', flush=True)
    signal.sigwait(stops)
    controller.stop()


if __name__ == '__main__':
    main()

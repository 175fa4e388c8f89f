#!/usr/bin/python3
"""Parses every message smtp-sink.py wrote to FOLDER with Python's own e-mail package
(an independent MIME parser) and prints them as one JSON array, in file order:
envelope recipients, the decoded From, To (name and address), Subject, Message-ID,
Date, the top content type, every leaf part (type, charset, file name, decoded text),
and whether every line of the raw message ends in CRLF and is at most 78 octets
(998 for the body's base64 is never reached: it is wrapped at 76).

Usage: parse-mail.py FOLDER
"""
import email
import email.policy
import email.utils
import json
import os
import sys


def parse(path):
    raw = open(path, 'rb').read()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    lines = raw.split(b'\r\n')
    envelope = [l for l in lines if l.startswith(b'X-Envelope-')]
    content = lines[len(envelope):]
    to_name, to_addr = email.utils.parseaddr(str(message['To']))
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        parts.append({
            'type': part.get_content_type(),
            'charset': part.get_content_charset(),
            'filename': part.get_filename(),
            'method': part.get_param('method'),
            'text': part.get_content(),
        })
    return {
        'file': os.path.basename(path),
        'envelope_to': message.get_all('X-Envelope-To') or [],
        'from': str(message['From']),
        'to_name': to_name,
        'to_address': to_addr,
        'subject': str(message['Subject']),
        'raw_subject': message.get('Subject', '') and raw.split(b'\r\nSubject: ', 1)[1]
            .split(b'\r\nDate:', 1)[0].decode('ascii', 'replace'),
        'message_id': str(message['Message-ID']),
        'date': str(message['Date']),
        'content_type': message.get_content_type(),
        'parts': parts,
        'crlf': b'\n' not in raw.replace(b'\r\n', b''),
        'short_lines': all(len(l) <= 78 for l in content),
        'defects': len(message.defects),
    }


def main():
    folder = sys.argv[1]
    names = sorted(n for n in os.listdir(folder) if n.endswith('.eml'))
    json.dump([parse(os.path.join(folder, n)) for n in names], sys.stdout)


if __name__ == '__main__':
    main()

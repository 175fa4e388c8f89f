#!/usr/bin/env python3
"""embed.py: turns a text file into a C source defining
`const char *NAME(gsize *out_length)` that returns the file's bytes, NUL-terminated.
Used by meson to embed api/openapi.yaml.  Usage: embed.py INPUT OUTPUT NAME HEADER"""
import sys


def main() -> int:
    source, output, name, header = sys.argv[1:5]
    with open(source, 'rb') as f:
        data = f.read()
    lines = [f'/* Generated from {source.split("/")[-1]} by embed.py: do not edit. */',
             f'#include "{header}"', '',
             f'static const unsigned char data[{len(data) + 1}] = {{']
    for i in range(0, len(data), 16):
        lines.append('  ' + ', '.join(str(b) for b in data[i:i + 16]) + ',')
    lines += ['  0,', '};', '',
              f'const char *{name}(gsize *out_length) {{',
              f'  *out_length = {len(data)};',
              '  return (const char *)data;', '}', '']
    with open(output, 'w') as f:
        f.write('\n'.join(lines))
    return 0


if __name__ == '__main__':
    sys.exit(main())

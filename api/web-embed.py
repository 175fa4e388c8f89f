#!/usr/bin/env python3
"""web-embed.py: embeds the web front end's static files in the program.  Writes a C
source defining `const ApiWebFile *api_web_files(void)` (see web.h): every file's
path below ROOT, media type (from a fixed table: an unknown extension is an error),
a strong entity tag (the first 16 hex digits of its SHA-256) and its bytes, sorted
by path.  The output depends only on the files, so builds are reproducible.
Usage: web-embed.py OUTPUT ROOT FILE..."""
import hashlib
import os
import sys

MEDIA_TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.json': 'application/json',
    '.txt': 'text/plain; charset=utf-8',
}


def c_string(text: str) -> str:
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    output, root, sources = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3:]
    entries = []
    for source in sources:
        relative = os.path.relpath(os.path.abspath(source), root)
        if relative.startswith('..') or os.sep != '/' and os.sep in relative:
            print(f'web-embed.py: {source} is not under {root}', file=sys.stderr)
            return 1
        extension = os.path.splitext(relative)[1]
        if extension not in MEDIA_TYPES:
            print(f'web-embed.py: {source}: no media type for "{extension}"', file=sys.stderr)
            return 1
        with open(source, 'rb') as f:
            data = f.read()
        entries.append(('/' + relative, MEDIA_TYPES[extension], data))
    entries.sort(key=lambda e: e[0].encode())
    paths = [e[0] for e in entries]
    if len(set(paths)) != len(paths):
        print('web-embed.py: a file is listed twice', file=sys.stderr)
        return 1

    lines = ['/* Generated from api/web/ by web-embed.py: do not edit. */',
             '#include "web.h"', '']
    for i, (_, _, data) in enumerate(entries):
        lines.append(f'static const unsigned char file_{i}[{len(data) + 1}] = {{')
        for j in range(0, len(data), 20):
            lines.append('  ' + ','.join(str(b) for b in data[j:j + 20]) + ',')
        lines += ['  0,', '};', '']
    lines.append('static const ApiWebFile files[] = {')
    for i, (path, media_type, data) in enumerate(entries):
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        lines.append(f'  {{{c_string(path)}, {c_string(media_type)}, {c_string(etag)}, '
                     f'file_{i}, {len(data)}}},')
    lines += ['  {NULL, NULL, NULL, NULL, 0},', '};', '',
              'const ApiWebFile *api_web_files(void) {', '  return files;', '}', '']
    with open(output, 'w') as f:
        f.write('\n'.join(lines))
    return 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""check-includes.py: fails when a source file includes a header of a layer above or
beside its own.  The layers, each allowed the ones listed after it:

  model/core   -
  model/json   model/core          (+ json-c)
  model/store  model/core          (+ sqlite3, libpq)
  model/csv    model/core, model/json (+ json-c)
  engine       model/core
  api          engine, model/*     (+ json-c, sqlite3, libmicrohttpd, libpq, libcurl)

A quoted include is resolved the way the compiler would (the file's own folder first,
then each include directory of the layers it may use); it must resolve to a header of
its own layer or of one it may use.  An angle include of a library header (sqlite3.h,
json-c/, microhttpd.h, libpq-fe.h, curl/) is allowed only in the layers named above.
fixtures/, bench/ and tests/ sit on top and may include anything.

Usage: check-includes.py SOURCE_ROOT   (exit 1 with one line per violation)
"""
import os
import re
import sys

LAYERS = {
    "model/core": [],
    "model/json": ["model/core"],
    "model/store": ["model/core"],
    "model/csv": ["model/core", "model/json"],
    "engine": ["model/core"],
    "api": ["engine", "model/core", "model/json", "model/store", "model/csv"],
}
LIBRARIES = {
    "json-c": ("json-c/",),
    "sqlite3": ("sqlite3.h",),
    "libmicrohttpd": ("microhttpd.h",),
    "libpq": ("libpq-fe.h", "libpq/", "postgresql/"),
    "libcurl": ("curl/",),
}
ALLOWED_LIBRARIES = {
    "model/core": set(),
    "model/json": {"json-c"},
    "model/store": {"sqlite3", "libpq"},
    "model/csv": {"json-c"},
    "engine": set(),
    "api": {"json-c", "sqlite3", "libmicrohttpd", "libpq", "libcurl"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(root, path):
    """The layer whose folder holds path (the longest match), or None."""
    rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    best = None
    for layer in LAYERS:
        if rel == layer or rel.startswith(layer + "/"):
            if best is None or len(layer) > len(best):
                best = layer
    return best


def library_of(header):
    for name, prefixes in LIBRARIES.items():
        for prefix in prefixes:
            if header == prefix or (prefix.endswith("/") and header.startswith(prefix)):
                return name
    return None


def check_file(root, path, layer, problems):
    own_dir = os.path.dirname(path)
    allowed = [layer] + LAYERS[layer]
    search = [own_dir] + [os.path.join(root, l) for l in allowed]
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            kind, header = m.groups()
            where = f"{os.path.relpath(path, root)}:{number}"
            library = library_of(header)
            if library is not None:
                if library not in ALLOWED_LIBRARIES[layer]:
                    problems.append(f"{where}: {layer}/ may not include <{header}> "
                                    f"({library} is not one of its dependencies)")
                continue
            if kind == "<":
                continue
            target = None
            for folder in search:
                candidate = os.path.normpath(os.path.join(folder, header))
                if os.path.isfile(candidate):
                    target = candidate
                    break
            if target is None:
                problems.append(f'{where}: "{header}" is not a header of {layer}/ or of '
                                f"the layers it may use ({', '.join(LAYERS[layer]) or 'none'})")
                continue
            target_layer = layer_of(root, target)
            if target_layer not in allowed:
                shown = os.path.relpath(target, root)
                problems.append(f'{where}: {layer}/ may not include "{header}" ({shown} '
                                f"belongs to {target_layer or 'no layer'}/)")


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    problems = []
    checked = 0
    for layer in sorted(LAYERS):
        top = os.path.join(root, layer)
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                if not name.endswith((".c", ".h")) or layer_of(root, path) != layer:
                    continue
                checked += 1
                check_file(root, path, layer, problems)
    for p in problems:
        print(p)
    if checked == 0:
        print(f"{root}: no source files found under {', '.join(LAYERS)}", file=sys.stderr)
        return 1
    print(f"{checked} files checked, {len(problems)} layer violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

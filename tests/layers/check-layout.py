#!/usr/bin/env python3
"""check-layout.py: README.md's "Source layout" table must match the tree.  Every path
it names must exist, and every source file of the code folders (model, engine, api,
fixtures, bench) must be named there, itself or through a folder the table names.

In a cell, the first path is from the root; a later one without a slash is a file in
the same folder as the first (`model/store/store.h`, `store-private.h`).  Paths with
"<" in them (`tests/<module>/`) are patterns and are not checked.

Usage: check-layout.py SOURCE_ROOT   (exit 1 with one line per mismatch)
"""
import os
import re
import sys

CODE_FOLDERS = ("model", "engine", "api", "fixtures", "bench")
SOURCE_ENDINGS = (".c", ".h", ".cc", ".py", ".sh", ".yaml", ".js", ".html", ".css")


def table_paths(readme):
    """Every path the Source layout table names, with its line number."""
    paths = []
    inside = False
    for number, line in enumerate(readme.splitlines(), 1):
        if line.startswith("## "):
            inside = line.strip() == "## Source layout"
            continue
        if not inside or not line.startswith("| `"):
            continue
        cell = line.split("|")[1]
        first_dir = None
        for item in re.findall(r"`([^`]+)`", cell):
            if "<" in item:
                continue
            if "/" in item.rstrip("/") or first_dir is None:
                path = item
            else:
                path = os.path.join(first_dir, item)
            if first_dir is None:
                first_dir = item.rstrip("/") if item.endswith("/") else os.path.dirname(item)
            paths.append((number, path))
    return paths


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        paths = table_paths(f.read())
    problems = []
    if not paths:
        problems.append("README.md: no Source layout table found")
    named_files = set()
    named_dirs = []
    for number, path in paths:
        full = os.path.join(root, path)
        if path.endswith("/"):
            if not os.path.isdir(full):
                problems.append(f"README.md:{number}: {path} is not a folder of the tree")
            named_dirs.append(path.rstrip("/") + "/")
        elif not os.path.isfile(full):
            problems.append(f"README.md:{number}: {path} is not a file of the tree")
        else:
            named_files.add(os.path.normpath(path))
    for top in CODE_FOLDERS:
        for folder, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(d for d in dirs if d not in ("node_modules", "__pycache__"))
            for name in sorted(files):
                if not name.endswith(SOURCE_ENDINGS):
                    continue
                rel = os.path.relpath(os.path.join(folder, name), root)
                if rel in named_files or any(rel.startswith(d) for d in named_dirs):
                    continue
                problems.append(f"{rel}: not in README.md's Source layout table")
    for p in problems:
        print(p)
    print(f"{len(paths)} paths named, {len(problems)} mismatch(es)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

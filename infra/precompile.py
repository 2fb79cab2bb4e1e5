"""Adds compiled bytecode to the deployment zip, so that a Lambda cold start does not compile the app and its
libraries from source each time (/var/task is read-only: Python cannot keep what it compiles there).

`chalice package` zips sources only (wheels carry no .pyc). Compiled here by the interpreter that runs this
script, which must be the runtime's (python3.12, as package.sh runs it), with *unchecked* hashes: the zip's
timestamps do not matter and nothing is re-read to validate. Measured on this machine: the API module's cold
import from source is about twice what it is from bytecode (docs/developers/benchmarks.md)."""

from __future__ import annotations

import importlib.util
import marshal
import sys
import zipfile
from pathlib import Path


def with_bytecode(zip_path: Path) -> tuple[int, int]:
    """Rewrites ``zip_path`` with a __pycache__ entry beside every module that compiles; (compiled, skipped)."""
    tag = sys.implementation.cache_tag
    out_path = zip_path.with_suffix(".tmp.zip")
    compiled = skipped = 0
    with zipfile.ZipFile(zip_path) as source, zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as out:
        names = set(source.namelist())
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info, data)
            if not info.filename.endswith(".py"):
                continue
            folder, _, file = info.filename.rpartition("/")
            target = f"{folder + '/' if folder else ''}__pycache__/{file[:-3]}.{tag}.pyc"
            if target in names:
                continue
            try:
                code = compile(data, info.filename, "exec", dont_inherit=True)
            except (SyntaxError, ValueError):
                skipped += 1  # test data and templates shipped inside some wheels: never imported
                continue
            out.writestr(target, _unchecked_pyc(data, code), zipfile.ZIP_DEFLATED)
            compiled += 1
    out_path.replace(zip_path)
    return compiled, skipped


def _unchecked_pyc(source: bytes, code: object) -> bytes:
    flags = 0b01  # hash-based, check_source unset (PEP 552)
    return (importlib.util.MAGIC_NUMBER + flags.to_bytes(4, "little") + importlib.util.source_hash(source)
            + marshal.dumps(code))


if __name__ == "__main__":
    done, passed = with_bytecode(Path(sys.argv[1]))
    print(f"bytecode: {done} modules compiled into the zip ({passed} files that are not Python skipped)")

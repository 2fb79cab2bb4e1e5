"""Validate any signed contract PDF: `make verify-contract PDF=file.pdf [ROOT=trust-root.pem]` (default root: the
local test CA's). Prints the report as JSON; exits 0 when every signature and timestamp is valid and nothing
changed after the last one, 1 otherwise. Only the validation data embedded in the file is used."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from cryptography import x509

from chalicelib.adapters.pyhanko_pades import verify

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--root", type=Path, default=ROOT / ".local" / "pki" / "root.pem",
                        help="PEM trust root(s)")
    args = parser.parse_args(argv)
    roots = x509.load_pem_x509_certificates(args.root.read_bytes())
    report = verify(args.pdf.read_bytes(), roots)
    print(json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2, default=str))
    return 0 if report.valid else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

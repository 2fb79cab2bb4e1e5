"""Operations' commands against a stage (run with the stage's settings in the environment and the operator's own
AWS credentials). ID numbers are read from standard input, one per line, never from the command line, so they
stay out of shell history and process lists; what is written is their keyed hash.

    python -m chalicelib.ops risk-list --operator o.wang --reason "confirmed fraud, case 2026-17" < numbers.txt
    python -m chalicelib.ops staff --operator o.wang --officer olivia < her-id-number.txt
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from . import bootstrap
from .domain.errors import ValidationError
from .services.back_office import bank_lists


def main(argv: list[str], stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.ops")
    commands = parser.add_subparsers(dest="command", required=True)
    risk = commands.add_parser("risk-list", help="put identities on the bank's risk list")
    risk.add_argument("--operator", required=True)
    risk.add_argument("--reason", required=True)
    staff = commands.add_parser("staff", help="register an officer's own ID number")
    staff.add_argument("--operator", required=True)
    staff.add_argument("--officer", required=True)
    args = parser.parse_args(argv)
    numbers = [line.strip() for line in stdin if line.strip()]
    if args.command == "staff" and len(numbers) != 1:
        out.write("give exactly one ID number on standard input\n")
        return 2
    deps, done = bootstrap.deps(), 0
    for n, number in enumerate(numbers, 1):
        try:
            if args.command == "risk-list":
                bank_lists.add_to_risk_list(deps, args.operator, number, args.reason)
            else:
                bank_lists.register_staff(deps, args.operator, args.officer, number)
            done += 1
        except ValidationError as err:  # the line, never the number
            out.write(f"line {n}: {err.message}\n")
    out.write(f"{done} of {len(numbers)} written\n")
    return 0 if done == len(numbers) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

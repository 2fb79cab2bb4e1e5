"""python -m ml score-batch INPUT.csv OUTPUT.csv   |   python -m ml train   |   python -m ml card"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "score-batch":
        from ml.batch import score_file

        start = time.perf_counter()
        count = score_file(Path(argv[1]), Path(argv[2]))
        print(f"scored {count} rows in {time.perf_counter() - start:.2f} s -> {argv[2]}")  # noqa: T201
    elif argv[:1] == ["train"]:
        from ml import train

        sys.argv = ["ml.train", *argv[1:]]
        train.main()
    elif argv[:1] == ["card"]:
        from ml import card

        card.main()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Is the local OCR engine usable on this machine? Checked where a missing engine would otherwise hide.

Every uploaded ID card is read by RapidOCR when its S3 event arrives. If the engine cannot be imported (a
shared library OpenCV or onnxruntime needs is missing, a wheel did not install), the upload handler fails the
event, SQS retries it, and the document stays RECEIVED: on `make run` every application would wait forever, and
the test suite would spend many minutes waiting for documents that are never read. So the check runs

- at the end of the install step (`make` fails right there, with the reason),
- when `make run` starts (it refuses to start, loudly),
- when a test session that needs the local stack starts (it stops at once, with the reason).

    python -m local.ocr_check        # exit 0 and one line when usable; exit 1 with the reason otherwise
"""

from __future__ import annotations

import sys

BANNER = "=" * 78


def ocr_engine_problem() -> str | None:
    """None when the engine imports and its models load; otherwise what went wrong and how to fix it."""
    try:
        import cv2  # noqa: F401  the headless OpenCV build (requirements-ocr.txt)
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as err:  # OSError subclasses are ImportError here: a missing .so is reported this way
        return (f"the OCR engine cannot be imported: {err}.\n"
                "Reinstall the environment from the repository's files: `rm -rf .venv && make`. "
                "requirements-ocr.txt explains which OpenCV build is used and why.")
    try:
        RapidOCR()  # loads the PP-OCRv4 models shipped inside the wheel
    except Exception as err:  # any failure here means no document can be read
        return f"the OCR engine imports but its models do not load: {type(err).__name__}: {err}"
    return None


def loud(problem: str) -> str:
    return (f"\n{BANNER}\n  OCR ENGINE NOT USABLE - uploaded ID cards could never be read.\n"
            f"  {problem}\n{BANNER}\n")


def main() -> int:
    problem = ocr_engine_problem()
    if problem:
        print(loud(problem), file=sys.stderr, flush=True)
        return 1
    print("OCR engine: RapidOCR (PP-OCRv4) imports and loads its models")
    return 0


if __name__ == "__main__":
    sys.exit(main())

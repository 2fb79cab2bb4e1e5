"""The deployment zip carries bytecode that the runtime uses as it is (no source check, no compile at start)."""

import subprocess
import sys
import zipfile

from infra.precompile import with_bytecode


def test_the_zip_gets_bytecode_that_python_loads_without_reading_the_source_again(tmp_path):
    package = tmp_path / "deployment.zip"
    with zipfile.ZipFile(package, "w") as z:
        z.writestr("chalicelib/__init__.py", "")
        z.writestr("chalicelib/answer.py", "VALUE = 'compiled at packaging'\n")
        z.writestr("somewheel/tests/broken_fixture.py", "def (:\n")  # a file some wheels ship that never compiles

    assert with_bytecode(package) == (2, 1)

    task = tmp_path / "task"
    with zipfile.ZipFile(package) as z:
        z.extractall(task)
        assert f"chalicelib/__pycache__/answer.{sys.implementation.cache_tag}.pyc" in z.namelist()
    # A changed source is not looked at: proof that the import came from the packaged bytecode
    (task / "chalicelib" / "answer.py").write_text("VALUE = 'compiled at start'\n")
    out = subprocess.run([sys.executable, "-c", "import chalicelib.answer as a; print(a.VALUE)"], cwd=task,
                         capture_output=True, text=True, check=True, env={"PYTHONDONTWRITEBYTECODE": "1"})
    assert out.stdout.strip() == "compiled at packaging"

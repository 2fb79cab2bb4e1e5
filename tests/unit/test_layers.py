"""Where each kind of code may reach, read from the source: the API asks use cases (never a repository or a
store), DynamoDB's key layout stays in its adapter, and the domain imports nothing of the outside world."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "chalicelib"
STORES = {"repo", "warnings", "documents", "identities", "outbox", "reports", "external_records", "workflow",
          "core_banking", "cipher", "sessions", "sign_in", "faces", "ocr", "bureau", "tax", "images", "notifier"}


def test_no_route_module_calls_a_repository_or_a_store() -> None:
    reached = []
    for module in (ROOT / "api").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text("utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in STORES and isinstance(node.value, ast.Name)
                    and node.value.id == "deps"):
                reached.append(f"{module.name}:{node.lineno} deps.{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module and "adapters.dynamodb" in node.module:
                reached.append(f"{module.name}:{node.lineno} imports {node.module}")
    assert reached == []


def test_no_sort_key_prefix_outside_the_dynamodb_adapters() -> None:
    prefix = re.compile(r'f?"(?:APPLICATION|CREDITLINE|DRAWDOWN|LOAN|CUSTOMER|WARNING|SUBJECT|DOCUMENT|EVENT)#')
    found = [f"{path.relative_to(ROOT)}:{n}" for path in ROOT.rglob("*.py")
             if not path.name.startswith("dynamodb_")
             for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if prefix.search(line)]
    assert found == []


def test_the_domain_imports_only_the_standard_library_and_itself() -> None:
    allowed_roots = {"__future__", "abc", "base64", "bisect", "calendar", "collections", "copy", "dataclasses",
                     "datetime", "decimal", "enum", "functools", "hashlib", "hmac", "itertools", "json", "math",
                     "pathlib", "re", "statistics", "string", "typing", "unicodedata", "uuid", "zoneinfo"}
    outside = []
    for module in (ROOT / "domain").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text("utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            outside += [f"{module.name}: {n}" for n in names if n.split(".")[0] not in allowed_roots]
    assert outside == []


def test_no_status_is_set_outside_the_domain() -> None:
    """A status moves by its aggregate's rules (a transition table, a method); services and adapters carry what
    the domain decided. Read from the source: no ``x.status = …``, no ``status=SomeStatus.MEMBER`` argument and no
    ``"status": "LITERAL"`` outside chalicelib/domain (an adapter's condition on the status it read is not a write)."""
    keyword = re.compile(r"\bstatus=[A-Za-z]*Status\.[A-Z_]+")
    literal = re.compile(r'"status": "[A-Z_]+"')
    found = []
    for path in ROOT.rglob("*.py"):
        if path.parent.name == "domain":
            continue
        source = path.read_text("utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found += [f"{path.relative_to(ROOT)}:{node.lineno} .status =" for t in targets
                          if isinstance(t, ast.Attribute) and t.attr == "status"]
        found += [f"{path.relative_to(ROOT)}:{n} {m.group()}" for n, line in enumerate(source.splitlines(), 1)
                  for m in (keyword.search(line), literal.search(line)) if m]
    assert found == []


def test_each_use_case_names_the_ports_it_uses() -> None:
    """No use case takes the whole container: each module's functions take a protocol of the ports they touch (or
    the ports themselves), so a signature says what a use case may reach and mypy holds it to that."""
    takes_all = []
    for path in (ROOT / "services").rglob("*.py"):
        if path.name == "deps.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef):
                takes_all += [f"{path.relative_to(ROOT)}:{node.lineno} {node.name}({a.arg})"
                              for a in node.args.args + node.args.kwonlyargs
                              if a.annotation is not None and "Dependencies" in ast.unparse(a.annotation)]
    assert takes_all == []


def test_a_use_case_runs_on_only_the_ports_it_names() -> None:
    """The protocol is the whole of what the use case needs: closing a line is handed a repository and nothing
    else, and does its work."""
    from types import SimpleNamespace

    from chalicelib.domain.credit_line import CreditLineStatus
    from chalicelib.services.servicing import credit_lines
    from tests.fakes.memory import MemoryRepository
    from tests.integration.builders import active_line

    repo = MemoryRepository()
    line = active_line(repo, customer_id="alice")
    credit_lines.close_line(SimpleNamespace(repo=repo), "alice", line.credit_line_id)
    assert repo.get_credit_line(line.credit_line_id).status is CreditLineStatus.CLOSED


def test_only_the_line_decides_how_it_moves() -> None:
    """A service asks the line (freeze, unfreeze, fall_overdue, cut_limit, note) and hands the store the change
    it returns: no ``LineChange(…)`` with statuses of the caller's choosing is built outside the domain."""
    built = [f"{path.relative_to(ROOT)}:{node.lineno}" for path in ROOT.rglob("*.py") if path.parent.name != "domain"
             for node in ast.walk(ast.parse(path.read_text("utf-8")))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "LineChange"]
    assert built == []


def test_an_import_inside_a_function_is_there_for_the_cold_start() -> None:
    """Outside the bootstrap (one lazy factory per port) and the adapters (each loads its library when first
    used), a function imports only what a cold start should not pay for: the credit code with the risk model's
    trees, Powertools' tracer and batch utilities, the contract codec of the sealing step. Anything else belongs
    at the top."""
    allowed = {"...scoring.model", ".credit", "..services.origination.credit", "aws_lambda_powertools",
               "aws_lambda_powertools.utilities.data_classes", "aws_lambda_powertools.utilities.batch",
               "..adapters.contract_records"}
    found = []
    for path in ROOT.rglob("*.py"):
        if path.name == "bootstrap.py" or "adapters" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    names = {inner.names[0].name}
                elif isinstance(inner, ast.ImportFrom):
                    base = "." * inner.level + (inner.module or "")
                    names = {base} | {f"{base}.{a.name}" if inner.module else base + a.name for a in inner.names}
                else:
                    continue
                if not names & allowed:
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno} {ast.unparse(inner)}")
    assert found == []


def test_no_product_code_is_written_outside_the_catalogue() -> None:
    """A product is one catalogue entry: no code of the product the bank sells (its code, the screens, the scripts,
    the template) names one; they read the catalogue or GET /v1/products."""
    import json

    catalogue = json.loads((ROOT / "domain" / "catalogue.json").read_text(encoding="utf-8"))
    codes = [p["code"] for p in catalogue["products"]]
    repo = ROOT.parent
    sources = [p for pattern in ("chalicelib/**/*.py", "chalicelib/**/*.js", "chalicelib/**/*.html", "local/**/*.py",
                                 "infra/**/*.py", "infra/*.json", "bench/**/*.py", "app.py")
               for p in repo.glob(pattern) if "vendor" not in p.parts]
    naming = sorted(str(p.relative_to(repo)) for p in sources if any(c in p.read_text(encoding="utf-8") for c in codes))
    assert naming == []

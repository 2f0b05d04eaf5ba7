"""The import layering of netpharm, checked from the source (used by tests/test_layers.py).

cli → workflow → stages → shared libraries → core. A module may import its own package and
anything in a lower layer; a stage may also import the ``config``/``findings`` modules (docking's
``profile_query`` too; and the package, for its ``STAGE``) of the stages it declares in ``reads``. Imports under
``if TYPE_CHECKING:`` are for the type checker only and are not counted.

Run ``python tests/layering.py`` to print the package import graph.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "netpharm"

#: Layer of each top-level part of netpharm (lower number = lower layer).
#: Within the core, the workflow and the cli layers the fraction orders the modules (no cycles).
LAYERS: dict[str, float] = {
    "__init__": 0.0, "errors": 0.0, "io": 0.1, "progress": 0.1, "config": 0.2, "targets": 0.2, "stage": 0.3,
    "figures": 1, "sources": 1, "structures": 1, "graphs": 1, "hubs": 1,
    "network": 2, "enrichment": 2, "docking": 2, "nmda": 2, "report": 2,
    "registry": 3.0, "runrecord": 3.05, "workflow": 3.1, "init": 3.2,
    "cli": 4.0, "__main__": 4.1,
}
#: Shared libraries that must not depend on each other beyond this (library → libraries it may use).
LIBRARY_DEPS: dict[str, set[str]] = {"figures": set(), "sources": set(), "graphs": set(), "hubs": {"graphs"},
                                     "structures": {"sources"}}
#: What each stage reads (must equal the registry's ``reads``; tests/test_layers.py checks it).
STAGE_READS: dict[str, set[str]] = {"network": set(), "enrichment": {"network"}, "docking": set(), "nmda": set(),
                                    "report": {"network", "enrichment", "docking", "nmda"}}
#: The modules of an upstream stage a reader may import: its config, its findings, its run-directory
#: ``files`` (names and columns), and docking's ``profile_query`` (light questions over the findings' interaction profiles, written for the claims).
_READABLE = {"config", "findings", "files", "profile_query"}


def part_of(module: str) -> str:
    """Top-level part (``netpharm.network.stage`` → ``network``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported netpharm module) for every run-time import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    out = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", 0) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("netpharm")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.startswith("netpharm"):
                if mod == "netpharm":  # `from netpharm import network` imports the package
                    out += [(node.lineno, f"netpharm.{a.name}") for a in node.names if a.name != "__version__"]
                else:
                    out.append((node.lineno, mod))
    return out


def violation(src: str, dst: str) -> str | None:
    """Why importing ``dst`` from ``src`` breaks the layering, or None."""
    a, b = part_of(src), part_of(dst)
    if a == b:
        return None
    la, lb = LAYERS[a], LAYERS[b]
    if lb < la:
        return None
    if la == lb == 1:
        return None if b in LIBRARY_DEPS[a] else f"library {a} may not import library {b}"
    if la == lb == 2:
        tail = dst.split(".")[2] if dst.count(".") >= 2 else ""
        if b in STAGE_READS[a] and (tail in _READABLE or dst == f"netpharm.{b}"):
            return None
        return f"stage {a} may import only the config/findings of the stages it reads ({sorted(STAGE_READS[a])})"
    return f"{a} (layer {la:g}) may not import {b} (layer {lb:g})"


def check() -> list[str]:
    """Every layering violation, as ``file:line: src imports dst: why``."""
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        src = module_name(path)
        for line, dst in imports_of(path):
            why = violation(src, dst)
            if why:
                problems.append(f"{path.relative_to(ROOT.parent)}:{line}: {src} imports {dst}: {why}")
    return problems


def graph() -> dict[str, set[str]]:
    """Top-level part → the other parts it imports at run time."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in sorted(ROOT.rglob("*.py")):
        a = part_of(module_name(path))
        out[a] |= {part_of(d) for _, d in imports_of(path)} - {a}
    return out


if __name__ == "__main__":
    for part, deps in sorted(graph().items(), key=lambda kv: (LAYERS[kv[0]], kv[0])):
        print(f"{part:<11} (layer {LAYERS[part]:g}) -> {', '.join(sorted(deps)) or '-'}")
    bad = check()
    print("\n".join(bad) or "layering: ok")
    sys.exit(1 if bad else 0)

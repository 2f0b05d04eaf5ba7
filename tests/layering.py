"""The import layering of netpharm, checked from the source (used by tests/test_contract.py).

cli → workflow (registry, report, workflow) → stages → the stage contract (``stage``, ``verdict``) and the
report's building blocks (``present``) → shared libraries → core. A module may import its own part and anything in a lower layer; a stage may also import the
package (for its ``STAGE``) and the ``config``/``findings``/``files`` modules of the stages it declares
in ``reads``. **Every** reference counts: imports under ``if TYPE_CHECKING:``, imports inside
functions, and module names written as strings (``importlib.import_module("netpharm.x")``, a stage's
``"netpharm.x.stage:run"``), so a shim cannot hide an edge.

Three checks, each failing on any finding:

- :func:`check`: no import up a layer;
- :func:`circles`: no import circle between modules;
- :func:`file_name_leaks`: no module outside a stage package spells one of that stage's run-directory
  file names (the constants of ``netpharm/<stage>/files.py``).

Run ``python tests/layering.py`` to print the package graph and every finding.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "netpharm"
if str(ROOT.parent) not in sys.path:
    sys.path.insert(0, str(ROOT.parent))

#: Layer of each top-level part of netpharm that is not a stage (lower number = lower layer); the
#: registered stages are layer 2. Within a layer the fraction orders the parts (no cycles).
LAYERS: dict[str, float] = {
    "__init__": 0.0, "errors": 0.0, "io": 0.1, "progress": 0.1, "config": 0.2, "targets": 0.2,
    "figures": 1, "sources": 1, "structures": 1, "graphs": 1, "hubs": 1,
    "stage": 1.5, "verdict": 1.6, "ties": 1.65, "present": 1.7,
    "registry": 3.0, "report": 3.02, "runlock": 3.04, "runrecord": 3.05, "workflow": 3.1, "init": 3.2,
    "cli": 4.0, "__main__": 4.1,
}
STAGE_LAYER = 2.0
#: Shared libraries that may use one another (library → libraries it may use).
LIBRARY_DEPS: dict[str, set[str]] = {"figures": set(), "sources": set(), "graphs": set(), "hubs": {"graphs"},
                                     "structures": {"sources"}}
#: The modules of an upstream stage a reader may import: its config, its findings, its file names.
_READABLE = {"config", "findings", "files"}
_MODULE_STRING = re.compile(r"^netpharm(?:\.[A-Za-z_]\w*)+(?::\w+)?$")


@lru_cache(maxsize=1)
def stage_reads() -> dict[str, set[str]]:
    """Registered stage → the stages it reads (from the registry itself: one list of stages)."""
    registry = importlib.import_module("netpharm.registry")
    return {s.name: set(s.reads) for s in registry.STAGES}


def layer(part: str) -> float:
    return STAGE_LAYER if part in stage_reads() else LAYERS[part]


def part_of(module: str) -> str:
    """Top-level part (``netpharm.network.stage`` → ``network``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@lru_cache(maxsize=1)
def _modules() -> frozenset[str]:
    return frozenset(module_name(p) for p in ROOT.rglob("*.py"))


def _resolve(mod: str, names: list[str]) -> list[str]:
    """``from mod import a, b``: the submodules among ``a``, ``b``, else ``mod`` itself."""
    subs = [f"{mod}.{n}" for n in names if f"{mod}.{n}" in _modules()]
    return subs if subs and len(subs) == len(names) else [mod, *subs]


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, referenced netpharm module) for every import and module-name string in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("netpharm")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod == "netpharm":  # `from netpharm import network` imports the package
                out += [(node.lineno, f"netpharm.{a.name}") for a in node.names if a.name != "__version__"]
            elif mod.startswith("netpharm"):
                out += [(node.lineno, m) for m in _resolve(mod, [a.name for a in node.names])]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _MODULE_STRING.match(node.value):
            out.append((node.lineno, node.value.split(":")[0]))
    return out


def violation(src: str, dst: str) -> str | None:
    """Why importing ``dst`` from ``src`` breaks the layering, or None."""
    a, b = part_of(src), part_of(dst)
    if a == b:
        return None
    la, lb = layer(a), layer(b)
    if lb < la:
        return None
    if la == lb == 1:
        return None if b in LIBRARY_DEPS[a] else f"library {a} may not import library {b}"
    if la == lb == STAGE_LAYER:
        reads = stage_reads()[a]
        tail = dst.split(".")[2] if dst.count(".") >= 2 else ""
        if b in reads and (tail in _READABLE or dst == f"netpharm.{b}"):
            return None
        return f"stage {a} may import only the config/findings/files of the stages it reads ({sorted(reads)})"
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


def module_graph() -> dict[str, set[str]]:
    """Module → the netpharm modules it references (every kind of reference, see :func:`imports_of`)."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in sorted(ROOT.rglob("*.py")):
        src = module_name(path)
        out[src] |= {d for _, d in imports_of(path) if d != src and d in _modules()}
    return out


def circles() -> list[list[str]]:
    """Every import circle between modules (strongly connected components of more than one module)."""
    graph = module_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan (1972), recursive: the module graph is shallow
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def stage_file_names() -> dict[str, set[str]]:
    """Registered stage → the run-directory file names its ``files.py`` defines."""
    out: dict[str, set[str]] = {}
    for name in stage_reads():
        try:
            module = importlib.import_module(f"netpharm.{name}.files")
        except ModuleNotFoundError:
            out[name] = set()
            continue
        values = [getattr(module, k) for k in dir(module) if k.isupper()]
        out[name] = {v for v in values if isinstance(v, str) and "." in v}
        out[name] |= {x for v in values if isinstance(v, dict) for x in v.values() if isinstance(x, str) and "." in x}
    return out


def file_name_leaks() -> list[str]:
    """Every string literal outside a stage package that spells one of that stage's file names."""
    owners = stage_file_names()
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        src = module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            texts = [node.value] if isinstance(node, ast.Constant) and isinstance(node.value, str) else []
            for text in texts:
                for stage, names in owners.items():
                    hit = next((n for n in names if text == n or text.endswith("/" + n)), None)
                    if hit and part_of(src) != stage:
                        problems.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: {src} spells {stage}'s "
                                        f"file {hit!r}; use netpharm.{stage}.files")
    return problems


def graph() -> dict[str, set[str]]:
    """Top-level part → the other parts it references."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in sorted(ROOT.rglob("*.py")):
        a = part_of(module_name(path))
        out[a] |= {part_of(d) for _, d in imports_of(path)} - {a}
    return out


if __name__ == "__main__":
    for part, deps in sorted(graph().items(), key=lambda kv: (layer(kv[0]), kv[0])):
        print(f"{part:<11} (layer {layer(part):g}) -> {', '.join(sorted(deps)) or '-'}")
    bad = check()
    loops = circles()
    leaks = file_name_leaks()
    print("\n".join(bad) or "layering: ok")
    print("\n".join(" -> ".join(c) for c in loops) or "circles: none")
    print("\n".join(leaks) or "file names: each spelled only by its stage")
    sys.exit(1 if bad or loops or leaks else 0)

"""The import direction of docs/architecture.md, checked on every module (function-local
imports included): a module that imports against it fails here with the line to fix."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("mcsc", "casefiles", "workflows", "accounts", "config")

# Which of the project's modules each layer may import; the first matching prefix rules.
ALLOWED: list[tuple[str, tuple[str, ...]]] = [
    ("config.settings", ("config.settings",)),
    ("config.middleware", ()),
    ("config", APPS),  # urls and the site's own pages sit on top
    ("workflows", ("mcsc", "casefiles", "workflows")),
    # Sign-in, second factor, sessions and API tokens: on top of roles, below config.
    ("accounts", ("accounts", "mcsc", "casefiles.audit.chain", "casefiles.models")),
    ("casefiles", ("mcsc", "casefiles", "config.middleware")),
    # Councils record their changes in the audit trail and turn action items into case
    # follow-up actions; nothing else of casefiles.
    (
        "mcsc.councils",
        (
            "mcsc",
            "casefiles.models",
            "casefiles.audit.chain",
            "casefiles.services",
            "casefiles.errors",
        ),
    ),
    ("mcsc.management.commands.seed_demo", ("mcsc",)),
    # Role assignments are recorded in the audit trail.
    ("mcsc.services", ("mcsc", "casefiles.audit.chain", "casefiles.models")),
    # Wiring only: Django discovers mcsc.admin, and /api/v1/ is one URL table per app.
    (
        "mcsc.admin",
        ("mcsc.models", "mcsc.services", "mcsc.councils.admin", "mcsc.councils.meetings"),
    ),
    ("mcsc.api.urls", ("mcsc.api", "mcsc.councils.api")),
    (
        "mcsc",
        (
            "mcsc.models",
            "mcsc.permissions",
            "mcsc.languages",
            "mcsc.reference",
            "mcsc.services",
            "mcsc.selectors",
            "mcsc.forms",
            "mcsc.documents",
            "mcsc.inputs",
            "mcsc.db",
            "mcsc.api",
            "mcsc.demo",
            "mcsc.names",
            "mcsc.profiles",
        ),
    ),
]

# Layers inside an app: reads and writes never reach up into pages, forms or the API.
LOWER = (
    "models",
    "services",
    "selectors",
    "reads",
    "privacy",
    "privileges",
    "chain",
    "verification",
    "checkpoints",
    "figures",
    "periods",
    "report",
    "statements",
    "statistics",
    "meetings",
)
UPPER = ("views", "urls", "forms", "api", "admin", "feeds", "exports", "charts")


def modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield name.removesuffix(".__init__"), path


def project_imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            yield node.lineno, node.module, names
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, [alias.name]


def allowed_for(module: str) -> tuple[str, ...]:
    for prefix, allowed in ALLOWED:
        if module == prefix or module.startswith(prefix + "."):
            return allowed
    raise AssertionError(f"{module} belongs to no layer of docs/architecture.md")


def within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_every_module_imports_only_downwards():
    wrong = []
    for module, path in modules():
        allowed = allowed_for(module)
        for line, imported, full_names in project_imports(path):
            if imported.split(".")[0] not in APPS:
                continue
            # "from casefiles.audit import chain" names the module casefiles.audit.chain.
            if not within(imported, allowed) and not all(within(n, allowed) for n in full_names):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_models_services_and_selectors_never_import_pages_forms_or_the_api():
    wrong = []
    for module, path in modules():
        if module.rsplit(".", 1)[-1] not in LOWER:
            continue
        for line, imported, full_names in project_imports(path):
            if imported.split(".")[0] not in APPS or imported == "mcsc.forms":
                continue
            named = set(imported.split(".")[1:]) | {n.rsplit(".", 1)[-1] for n in full_names}
            if named & set(UPPER):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert not wrong, "\n".join(wrong)


PACKAGES = sorted(
    path.parent.relative_to(ROOT)
    for app in APPS
    for path in (ROOT / app).rglob("__init__.py")
    if not {"migrations", "management", "commands", "templatetags"} & set(path.parts)
)


@pytest.mark.parametrize("package", PACKAGES, ids=str)
def test_every_package_says_what_it_holds(package):
    doc = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text()))
    assert doc, f"{package}/__init__.py has no docstring"
